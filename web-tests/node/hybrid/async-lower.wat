;; A guest built with async bindings: `async func` imports lowered with the
;; async ABI (`canon lower ... async`), next to sync lowerings of the same
;; functions. `jco embed --dummy` lowers everything sync, so this is by hand.
(component
  (type $api (instance
    (export "r" (type $r (sub resource)))
    (type $borrow (borrow $r))
    (type $own (own $r))
    (type $go (func async (param "self" $borrow) (param "x" u32) (result u32)))
    (export "[method]r.go" (func (type $go)))
    (type $make (func async (result $own)))
    (export "make" (func (type $make)))
    (type $label (func async (param "self" $borrow) (result string)))
    (export "[method]r.label" (func (type $label)))
    (type $nores (func async (param "a" u32)))
    (export "nores" (func (type $nores)))
    (type $plain (func (param "a" u32) (result u32)))
    (export "plain" (func (type $plain)))
  ))
  (import "test:a/api" (instance $api (type $api)))
  (alias export $api "[method]r.go" (func $go))
  (alias export $api "make" (func $make))
  (alias export $api "[method]r.label" (func $label))
  (alias export $api "nores" (func $nores))
  (alias export $api "plain" (func $plain))

  (core module $libc
    (memory (export "memory") 1)
    (func (export "realloc") (param i32 i32 i32 i32) (result i32) unreachable))
  (core instance $libc (instantiate $libc))

  (core func $go-async (canon lower (func $go) async (memory (core memory $libc "memory"))))
  (core func $make-async (canon lower (func $make) async (memory (core memory $libc "memory"))))
  (core func $label-async (canon lower (func $label) async (memory (core memory $libc "memory")) (realloc (core func $libc "realloc"))))
  (core func $nores-async (canon lower (func $nores) async))
  (core func $plain-sync (canon lower (func $plain)))
  (core func $go-sync (canon lower (func $go)))
  (core func $label-sync (canon lower (func $label) (memory (core memory $libc "memory")) (realloc (core func $libc "realloc"))))

  (core module $main
    (import "" "go" (func (param i32 i32 i32) (result i32)))
    (import "" "make" (func (param i32) (result i32)))
    (import "" "label" (func (param i32 i32) (result i32)))
    (import "" "nores" (func (param i32) (result i32)))
    (import "" "plain" (func (param i32) (result i32)))
    (import "" "go-sync" (func (param i32 i32) (result i32)))
    (import "" "label-sync" (func (param i32 i32))))
  (core instance (instantiate $main (with "" (instance
    (export "go" (func $go-async))
    (export "make" (func $make-async))
    (export "label" (func $label-async))
    (export "nores" (func $nores-async))
    (export "plain" (func $plain-sync))
    (export "go-sync" (func $go-sync))
    (export "label-sync" (func $label-sync))))))
)
