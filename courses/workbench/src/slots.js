// The layout of the Int32Array the page and the worker share: live inputs of the virtual board.
export const SLOT = {
  wake: 0, // Atomics.wait/notify: the page wakes a sleeping program when an input changes
  level: 1, // 40 slots: a digital input's level, -1 when the page does not drive that pin
  adc: 41, // 40 slots: an analogue input's 16-bit reading
  dhtOk: 81,
  temp: 82,
  humidity: 83,
  distance: 84, // tenths of a centimetre, -1: no echo
  requestSeq: 85, // bumped for every web request typed on the page
  pathLen: 86,
  path: 87, // up to 64 character codes of the requested path
  size: 151,
};
