// The full-flash bundle (esptool-js and its stubs, ~200 KB): loaded by the lesson page and the
// batch flashing page only when a board is actually flashed, so other pages never carry it.
export { fullFlash, Refused } from "./serial/esp_flash.js";
