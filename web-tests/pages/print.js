export { print } from '/npm/print.js';
