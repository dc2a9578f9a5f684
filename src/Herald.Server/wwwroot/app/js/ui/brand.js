// Herald's mark: a message bubble with a tick, on the brand colour.
const SVG = 'http://www.w3.org/2000/svg';

export function brandMark(size = 'sm') {
  const svg = document.createElementNS(SVG, 'svg');
  svg.setAttribute('viewBox', '0 0 48 48');
  svg.setAttribute('class', `brand-mark brand-mark-${size}`);
  svg.setAttribute('aria-hidden', 'true');
  const shapes = [
    ['rect', { x: 0, y: 0, width: 48, height: 48, rx: 14, class: 'brand-mark-tile' }],
    ['path', { d: 'M12 15a5 5 0 0 1 5-5h14a5 5 0 0 1 5 5v11a5 5 0 0 1-5 5h-8l-7 6v-6h0a5 5 0 0 1-4-5z', class: 'brand-mark-bubble' }],
    ['path', { d: 'M18.5 20.5l4 4 7-7.5', class: 'brand-mark-tick' }],
  ];
  for (const [tag, attributes] of shapes) {
    const shape = document.createElementNS(SVG, tag);
    for (const [name, value] of Object.entries(attributes))
      shape.setAttribute(name, String(value));
    svg.append(shape);
  }
  return svg;
}
