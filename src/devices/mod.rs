//! The till's devices: the receipt printer (a ticket → ESC/POS bytes in a real code page, or
//! text/PDF for an ordinary printer; drivers for TCP port 9100, a device file, CUPS and a preview
//! file) and the barcode scanner (evdev key codes → characters through the scanner's own keymap,
//! whatever the host's keyboard layout). Blocking I/O: the actors call it from blocking threads.
pub mod escpos;
pub mod keymap;
pub mod printer;
pub mod scanner;
