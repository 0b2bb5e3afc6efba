//! egui's input from the surface's event streams.
//!
//! Each stream (pointer down, up and move; key down and up) is read by a
//! task of its own, and the tasks run in no set order: a click's release
//! can reach the queue before its press when both happened since the last
//! frame. A release always follows its press, so one that comes first is
//! held until the press arrives (or dropped at the frame's end, when its
//! press happened elsewhere, such as outside the canvas).

use std::cell::RefCell;
use std::collections::HashSet;
use std::rc::Rc;

use wasi_webgpu_wgpu::bindings::wasi_gfx::surface::surface as gfx;

/// Reads `stream` until it ends, on a task of its own, handing each event to
/// `handle`. Whatever has queued up comes in one read: the host keeps only
/// a few events per stream, and fast typing would outrun one read each.
fn read_all<T: 'static>(
    mut stream: wit_bindgen::StreamReader<T>,
    mut handle: impl FnMut(T) + 'static,
) {
    wit_bindgen::spawn_local(async move {
        let mut buffer = Vec::with_capacity(32);
        loop {
            let (result, mut read) = stream.read(buffer).await;
            for event in read.drain(..) {
                handle(event);
            }
            buffer = read;
            if !matches!(result, wit_bindgen::StreamResult::Complete(_)) {
                break;
            }
        }
    });
}

#[derive(Default)]
pub struct Input {
    events: Vec<egui::Event>,
    modifiers: egui::Modifiers,
    pointer_down: bool,
    keys_down: HashSet<egui::Key>,
    early_pointer_up: Option<egui::Event>,
    /// Releases that came before their press, by key.
    early_key_ups: Vec<(egui::Key, egui::Event)>,
}

impl Input {
    /// Reads the surface's pointer and key streams into a shared `Input`.
    pub fn listen(surface: &gfx::Surface) -> Rc<RefCell<Input>> {
        let input: Rc<RefCell<Input>> = Rc::default();
        for (stream, pressed) in [
            (surface.on_pointer_move(), None),
            (surface.on_pointer_down(), Some(true)),
            (surface.on_pointer_up(), Some(false)),
        ] {
            let input = input.clone();
            read_all(stream, move |event| {
                input
                    .borrow_mut()
                    .pointer(egui::pos2(event.x as f32, event.y as f32), pressed)
            });
        }
        for (stream, pressed) in [(surface.on_key_down(), true), (surface.on_key_up(), false)] {
            let input = input.clone();
            read_all(stream, move |event| input.borrow_mut().key(event, pressed));
        }
        input
    }

    /// The events since the last frame, in the order they happened.
    pub fn take(&mut self) -> Vec<egui::Event> {
        self.early_pointer_up = None;
        self.early_key_ups.clear();
        std::mem::take(&mut self.events)
    }

    /// A move (`pressed` None), press or release of the primary button at `pos`.
    fn pointer(&mut self, pos: egui::Pos2, pressed: Option<bool>) {
        // egui hit-tests a press or release where it last heard the pointer.
        let moved = egui::Event::PointerMoved(pos);
        let Some(pressed) = pressed else {
            return self.events.push(moved);
        };
        let button = egui::Event::PointerButton {
            pos,
            button: egui::PointerButton::Primary,
            pressed,
            modifiers: self.modifiers,
        };
        if !pressed && !self.pointer_down {
            self.early_pointer_up = Some(button);
            return;
        }
        self.events.extend([moved, button]);
        self.pointer_down = pressed;
        if pressed {
            if let Some(release) = self.early_pointer_up.take() {
                self.events.push(release);
                self.pointer_down = false;
            }
        }
    }

    fn key(&mut self, event: gfx::KeyEvent, pressed: bool) {
        let modifiers = egui::Modifiers {
            alt: event.alt_key,
            ctrl: event.ctrl_key,
            shift: event.shift_key,
            mac_cmd: false,
            command: event.ctrl_key,
        };
        if modifiers != self.modifiers {
            self.modifiers = modifiers;
            self.events.push(egui::Event::ModifiersChanged(modifiers));
        }
        if let Some(key) = event.key.and_then(map_key) {
            let repeat = pressed && !self.keys_down.insert(key);
            let key_event = egui::Event::Key { key, physical_key: None, pressed, repeat, modifiers };
            if pressed {
                self.events.push(key_event);
                if let Some(at) = self.early_key_ups.iter().position(|(up, _)| *up == key) {
                    self.events.push(self.early_key_ups.remove(at).1);
                    self.keys_down.remove(&key);
                }
            } else if self.keys_down.remove(&key) {
                self.events.push(key_event);
            } else {
                self.early_key_ups.push((key, key_event));
            }
        }
        // Typed text is the key event's text, where it is a character (not
        // a named key such as "Enter") and no shortcut is held.
        if pressed && !event.ctrl_key && !event.meta_key {
            if let Some(text) = event
                .text
                .filter(|text| text.chars().count() == 1 && !text.chars().any(char::is_control))
            {
                self.events.push(egui::Event::Text(text));
            }
        }
    }
}

/// The surface's key (a physical key, by its `code`) as egui's, for the
/// keys egui's widgets act on: editing, navigation, letters and digits for
/// shortcuts. Others reach egui as text only.
fn map_key(key: gfx::Key) -> Option<egui::Key> {
    use egui::Key as E;
    use gfx::Key as G;
    Some(match key {
        G::Backspace | G::NumpadBackspace => E::Backspace,
        G::Delete => E::Delete,
        G::Enter | G::NumpadEnter => E::Enter,
        G::Tab => E::Tab,
        G::Escape => E::Escape,
        G::Space => E::Space,
        G::ArrowLeft => E::ArrowLeft,
        G::ArrowRight => E::ArrowRight,
        G::ArrowUp => E::ArrowUp,
        G::ArrowDown => E::ArrowDown,
        G::Home => E::Home,
        G::End => E::End,
        G::PageUp => E::PageUp,
        G::PageDown => E::PageDown,
        G::Insert => E::Insert,
        G::KeyA => E::A,
        G::KeyB => E::B,
        G::KeyC => E::C,
        G::KeyD => E::D,
        G::KeyE => E::E,
        G::KeyF => E::F,
        G::KeyG => E::G,
        G::KeyH => E::H,
        G::KeyI => E::I,
        G::KeyJ => E::J,
        G::KeyK => E::K,
        G::KeyL => E::L,
        G::KeyM => E::M,
        G::KeyN => E::N,
        G::KeyO => E::O,
        G::KeyP => E::P,
        G::KeyQ => E::Q,
        G::KeyR => E::R,
        G::KeyS => E::S,
        G::KeyT => E::T,
        G::KeyU => E::U,
        G::KeyV => E::V,
        G::KeyW => E::W,
        G::KeyX => E::X,
        G::KeyY => E::Y,
        G::KeyZ => E::Z,
        G::Digit0 => E::Num0,
        G::Digit1 => E::Num1,
        G::Digit2 => E::Num2,
        G::Digit3 => E::Num3,
        G::Digit4 => E::Num4,
        G::Digit5 => E::Num5,
        G::Digit6 => E::Num6,
        G::Digit7 => E::Num7,
        G::Digit8 => E::Num8,
        G::Digit9 => E::Num9,
        _ => return None,
    })
}
