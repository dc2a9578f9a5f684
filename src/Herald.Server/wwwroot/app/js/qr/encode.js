// A QR Code encoder (ISO/IEC 18004, model 2), written for the Messenger: the payload of a message's `qr` is drawn on
// the device, never fetched as an image. One segment in numeric, alphanumeric or byte mode (UTF-8 bytes, no ECI:
// scanners read UTF-8 as such), error correction level M, or L when the payload only fits that way, and the mask
// with the lowest penalty score.

const LEVELS = [
  {
    name: 'M', formatBits: 0,
    // error correction codewords per block, and blocks, for versions 1..40 (index 0 unused)
    eccPerBlock: [0, 10, 16, 26, 18, 24, 16, 18, 22, 22, 26, 30, 22, 22, 24, 24, 28, 28, 26, 26, 26, 26, 28, 28, 28, 28,
      28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28],
    blocks: [0, 1, 1, 1, 2, 2, 4, 4, 4, 5, 5, 5, 8, 9, 9, 10, 10, 11, 13, 14, 16, 17, 17, 18, 20, 21, 23, 25, 26, 28,
      29, 31, 33, 35, 37, 38, 40, 43, 45, 47, 49],
  },
  {
    name: 'L', formatBits: 1,
    eccPerBlock: [0, 7, 10, 15, 20, 26, 18, 20, 24, 30, 18, 20, 24, 26, 30, 22, 24, 28, 30, 28, 28, 28, 28, 30, 30, 26,
      28, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30],
    blocks: [0, 1, 1, 1, 1, 1, 2, 2, 2, 2, 4, 4, 4, 4, 4, 6, 6, 6, 6, 7, 8, 8, 9, 9, 10, 12, 12, 12, 13, 14, 15, 16, 17,
      18, 19, 19, 20, 21, 22, 24, 25],
  },
];

const ALPHANUMERIC = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:';

const MASKS = [
  (x, y) => (x + y) % 2 === 0,
  (x, y) => y % 2 === 0,
  (x) => x % 3 === 0,
  (x, y) => (x + y) % 3 === 0,
  (x, y) => (Math.floor(x / 3) + Math.floor(y / 2)) % 2 === 0,
  (x, y) => ((x * y) % 2) + ((x * y) % 3) === 0,
  (x, y) => (((x * y) % 2) + ((x * y) % 3)) % 2 === 0,
  (x, y) => (((x + y) % 2) + ((x * y) % 3)) % 2 === 0,
];

/**
 * @param {string} text
 * @returns {{size: number, version: number, level: string, dark: (x: number, y: number) => boolean} | null}
 *   null when the payload is too long for any QR code
 */
export function encodeQr(text) {
  const segment = makeSegment(text);
  for (const level of LEVELS) {
    for (let version = 1; version <= 40; version++) {
      const capacity = dataCodewords(version, level) * 8;
      const used = 4 + segment.countBits[version <= 9 ? 0 : version <= 26 ? 1 : 2] + segment.bits.length;
      if (used <= capacity)
        return build(version, level, assemble(segment, version, capacity));
    }
  }
  return null;
}

function makeSegment(text) {
  const bits = [];
  if (/^[0-9]*$/.test(text)) {
    for (let i = 0; i < text.length; i += 3) {
      const chunk = text.slice(i, i + 3);
      push(bits, Number(chunk), chunk.length * 3 + 1);
    }
    return { mode: 1, count: text.length, bits, countBits: [10, 12, 14] };
  }
  if ([...text].every((c) => ALPHANUMERIC.includes(c))) {
    for (let i = 0; i + 1 < text.length; i += 2)
      push(bits, ALPHANUMERIC.indexOf(text[i]) * 45 + ALPHANUMERIC.indexOf(text[i + 1]), 11);
    if (text.length % 2)
      push(bits, ALPHANUMERIC.indexOf(text[text.length - 1]), 6);
    return { mode: 2, count: text.length, bits, countBits: [9, 11, 13] };
  }
  const bytes = new TextEncoder().encode(text);
  for (const b of bytes)
    push(bits, b, 8);
  return { mode: 4, count: bytes.length, bits, countBits: [8, 16, 16] };
}

function push(bits, value, length) {
  for (let i = length - 1; i >= 0; i--)
    bits.push((value >>> i) & 1);
}

/** Mode, count and data bits, the terminator, then padding to the version's data capacity, as codewords. */
function assemble(segment, version, capacity) {
  const bits = [];
  push(bits, segment.mode, 4);
  push(bits, segment.count, segment.countBits[version <= 9 ? 0 : version <= 26 ? 1 : 2]);
  bits.push(...segment.bits);
  push(bits, 0, Math.min(4, capacity - bits.length));
  push(bits, 0, (8 - (bits.length % 8)) % 8);
  const codewords = [];
  for (let i = 0; i < bits.length; i += 8)
    codewords.push(bits.slice(i, i + 8).reduce((acc, bit) => (acc << 1) | bit, 0));
  for (let pad = 0xec; codewords.length < capacity / 8; pad ^= 0xec ^ 0x11)
    codewords.push(pad);
  return codewords;
}

/** Modules available for data and error correction: the symbol less its function patterns. */
function rawDataModules(version) {
  let modules = (16 * version + 128) * version + 64;
  if (version >= 2) {
    const align = Math.floor(version / 7) + 2;
    modules -= (25 * align - 10) * align - 55;
    if (version >= 7)
      modules -= 36;
  }
  return modules;
}

function dataCodewords(version, level) {
  return Math.floor(rawDataModules(version) / 8) - level.eccPerBlock[version] * level.blocks[version];
}

/** Splits the data into blocks, adds each block's Reed-Solomon codewords, and interleaves them. */
function withErrorCorrection(data, version, level) {
  const blockCount = level.blocks[version];
  const eccLength = level.eccPerBlock[version];
  const raw = Math.floor(rawDataModules(version) / 8);
  const shortBlocks = blockCount - (raw % blockCount);
  const shortLength = Math.floor(raw / blockCount) - eccLength;
  const divisor = reedSolomonDivisor(eccLength);
  const blocks = [];
  for (let i = 0, offset = 0; i < blockCount; i++) {
    const length = shortLength + (i < shortBlocks ? 0 : 1);
    const block = data.slice(offset, offset + length);
    offset += length;
    blocks.push({ data: block, ecc: reedSolomonRemainder(block, divisor) });
  }
  const result = [];
  for (let i = 0; i <= shortLength; i++)
    for (const block of blocks)
      if (i < block.data.length)
        result.push(block.data[i]);
  for (let i = 0; i < eccLength; i++)
    for (const block of blocks)
      result.push(block.ecc[i]);
  return result;
}

function gfMultiply(x, y) {
  let z = 0;
  for (let i = 7; i >= 0; i--) {
    z = (z << 1) ^ ((z >>> 7) * 0x11d);
    z ^= ((y >>> i) & 1) * x;
  }
  return z;
}

function reedSolomonDivisor(degree) {
  const result = new Array(degree).fill(0);
  result[degree - 1] = 1;
  let root = 1;
  for (let i = 0; i < degree; i++) {
    for (let j = 0; j < degree; j++) {
      result[j] = gfMultiply(result[j], root);
      if (j + 1 < degree)
        result[j] ^= result[j + 1];
    }
    root = gfMultiply(root, 0x02);
  }
  return result;
}

function reedSolomonRemainder(data, divisor) {
  const result = new Array(divisor.length).fill(0);
  for (const byte of data) {
    const factor = byte ^ result.shift();
    result.push(0);
    divisor.forEach((coefficient, i) => { result[i] ^= gfMultiply(coefficient, factor); });
  }
  return result;
}

function build(version, level, data) {
  const size = version * 4 + 17;
  const dark = Array.from({ length: size }, () => new Uint8Array(size));
  const fixed = Array.from({ length: size }, () => new Uint8Array(size));
  const set = (x, y, on) => { dark[y][x] = on ? 1 : 0; fixed[y][x] = 1; };

  drawFunctionPatterns(version, size, set);
  drawFormat(size, level, 0, set); // reserves the format modules before the data goes in
  placeData(withErrorCorrection(data, version, level), size, dark, fixed);

  let best = 0;
  let bestScore = Infinity;
  for (let mask = 0; mask < 8; mask++) {
    applyMask(mask, size, dark, fixed);
    drawFormat(size, level, mask, set);
    const score = penalty(size, dark);
    if (score < bestScore) {
      best = mask;
      bestScore = score;
    }
    applyMask(mask, size, dark, fixed); // XOR again: undone
  }
  applyMask(best, size, dark, fixed);
  drawFormat(size, level, best, set);
  return { size, version, level: level.name, dark: (x, y) => dark[y][x] === 1 };
}

function drawFunctionPatterns(version, size, set) {
  for (let i = 0; i < size; i++) {
    set(6, i, i % 2 === 0);
    set(i, 6, i % 2 === 0);
  }
  for (const [cx, cy] of [[3, 3], [size - 4, 3], [3, size - 4]]) {
    for (let dy = -4; dy <= 4; dy++) {
      for (let dx = -4; dx <= 4; dx++) {
        const x = cx + dx;
        const y = cy + dy;
        const ring = Math.max(Math.abs(dx), Math.abs(dy));
        if (x >= 0 && x < size && y >= 0 && y < size)
          set(x, y, ring !== 2 && ring !== 4);
      }
    }
  }
  const centres = alignmentCentres(version, size);
  for (const cx of centres) {
    for (const cy of centres) {
      const nearFinder = (cx === 6 && cy === 6) || (cx === 6 && cy === size - 7) || (cx === size - 7 && cy === 6);
      if (nearFinder)
        continue;
      for (let dy = -2; dy <= 2; dy++)
        for (let dx = -2; dx <= 2; dx++)
          set(cx + dx, cy + dy, Math.max(Math.abs(dx), Math.abs(dy)) !== 1);
    }
  }
  if (version >= 7) {
    let remainder = version;
    for (let i = 0; i < 12; i++)
      remainder = (remainder << 1) ^ ((remainder >>> 11) * 0x1f25);
    const bits = (version << 12) | remainder;
    for (let i = 0; i < 18; i++) {
      const on = ((bits >>> i) & 1) === 1;
      const a = size - 11 + (i % 3);
      const b = Math.floor(i / 3);
      set(a, b, on);
      set(b, a, on);
    }
  }
}

function alignmentCentres(version, size) {
  if (version === 1)
    return [];
  const count = Math.floor(version / 7) + 2;
  const step = version === 32 ? 26 : Math.ceil((size - 13) / (count * 2 - 2)) * 2;
  const centres = [6];
  for (let position = size - 7; centres.length < count; position -= step)
    centres.splice(1, 0, position);
  return centres;
}

function drawFormat(size, level, mask, set) {
  const data = (level.formatBits << 3) | mask;
  let remainder = data;
  for (let i = 0; i < 10; i++)
    remainder = (remainder << 1) ^ ((remainder >>> 9) * 0x537);
  const bits = ((data << 10) | remainder) ^ 0x5412;
  const bit = (i) => ((bits >>> i) & 1) === 1;
  for (let i = 0; i <= 5; i++)
    set(8, i, bit(i));
  set(8, 7, bit(6));
  set(8, 8, bit(7));
  set(7, 8, bit(8));
  for (let i = 9; i < 15; i++)
    set(14 - i, 8, bit(i));
  for (let i = 0; i < 8; i++)
    set(size - 1 - i, 8, bit(i));
  for (let i = 8; i < 15; i++)
    set(8, size - 15 + i, bit(i));
  set(8, size - 8, true); // the dark module
}

/** Codeword bits go up and down two-module columns from the right, skipping the vertical timing pattern. */
function placeData(codewords, size, dark, fixed) {
  let i = 0;
  const total = codewords.length * 8;
  for (let right = size - 1; right >= 1; right -= 2) {
    if (right === 6)
      right = 5;
    const upward = ((right + 1) & 2) === 0;
    for (let step = 0; step < size; step++) {
      const y = upward ? size - 1 - step : step;
      for (let j = 0; j < 2; j++) {
        const x = right - j;
        if (fixed[y][x] || i >= total)
          continue;
        dark[y][x] = (codewords[i >>> 3] >>> (7 - (i & 7))) & 1;
        i++;
      }
    }
  }
}

function applyMask(mask, size, dark, fixed) {
  const test = MASKS[mask];
  for (let y = 0; y < size; y++)
    for (let x = 0; x < size; x++)
      if (!fixed[y][x] && test(x, y))
        dark[y][x] ^= 1;
}

const FINDER_LIKE = [[1, 0, 1, 1, 1, 0, 1, 0, 0, 0, 0], [0, 0, 0, 0, 1, 0, 1, 1, 1, 0, 1]];

/** The standard's four penalties: long runs, 2×2 blocks, finder-like patterns, and dark/light imbalance. */
function penalty(size, dark) {
  let score = 0;
  let darkCount = 0;
  for (let a = 0; a < size; a++) {
    let rowRun = 0;
    let columnRun = 0;
    for (let b = 0; b < size; b++) {
      rowRun = b > 0 && dark[a][b] === dark[a][b - 1] ? rowRun + 1 : 1;
      columnRun = b > 0 && dark[b][a] === dark[b - 1][a] ? columnRun + 1 : 1;
      score += (rowRun === 5 ? 3 : rowRun > 5 ? 1 : 0) + (columnRun === 5 ? 3 : columnRun > 5 ? 1 : 0);
      darkCount += dark[a][b];
    }
  }
  for (let y = 0; y + 1 < size; y++) {
    for (let x = 0; x + 1 < size; x++) {
      const c = dark[y][x];
      if (c === dark[y][x + 1] && c === dark[y + 1][x] && c === dark[y + 1][x + 1])
        score += 3;
    }
  }
  for (let a = 0; a < size; a++) {
    for (let b = 0; b + 10 < size; b++) {
      if (FINDER_LIKE.some((p) => p.every((v, i) => dark[a][b + i] === v)))
        score += 40;
      if (FINDER_LIKE.some((p) => p.every((v, i) => dark[b + i][a] === v)))
        score += 40;
    }
  }
  const twentieths = Math.floor((darkCount * 20) / (size * size));
  score += Math.min(Math.abs(twentieths - 10), Math.abs(twentieths - 9)) * 10;
  return score;
}
