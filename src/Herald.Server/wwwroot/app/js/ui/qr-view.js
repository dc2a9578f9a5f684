// Draws a QR payload on a canvas, on the device: the payload never leaves it to be rendered elsewhere.
import { h } from './dom.js';
import { encodeQr } from '../qr/encode.js';

const QUIET_ZONE = 4; // modules of light margin the standard asks for around the symbol
const TARGET_PIXELS = 480; // drawn this large and scaled down by CSS: crisp on high-density screens

export function qrCanvas(payload) {
  const code = encodeQr(payload);
  if (!code)
    return h('p', { class: 'qr-unavailable', text: 'This QR code is too long to show.' });
  const modules = code.size + QUIET_ZONE * 2;
  const scale = Math.max(2, Math.ceil(TARGET_PIXELS / modules));
  const canvas = h('canvas', { class: 'qr-canvas', role: 'img', 'aria-label': 'QR code', width: modules * scale, height: modules * scale });
  const context = canvas.getContext('2d');
  context.fillStyle = '#fff';
  context.fillRect(0, 0, canvas.width, canvas.height);
  context.fillStyle = '#000';
  for (let y = 0; y < code.size; y++)
    for (let x = 0; x < code.size; x++)
      if (code.dark(x, y))
        context.fillRect((x + QUIET_ZONE) * scale, (y + QUIET_ZONE) * scale, scale, scale);
  canvas.dataset.modules = String(modules);
  return canvas;
}
