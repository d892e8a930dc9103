//! The desktop entry point. All the app lives in the library so the phone builds (which link it
//! as a library) and the desktop binary run the same code.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

fn main() {
    grabpack_app_lib::run();
}
