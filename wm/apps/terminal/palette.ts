// xterm's 256-colour palette: 16 ANSI colours, a 6x6x6 cube and a grey ramp.

const ANSI = [0x000000, 0xcd3131, 0x0dbc79, 0xe5e510, 0x2472c8, 0xbc3fbc, 0x11a8cd, 0xe5e5e5, 0x666666, 0xf14c4c, 0x23d18b, 0xf5f543, 0x3b8eea, 0xd670d6, 0x29b8db, 0xffffff];

export const PALETTE: number[] = (() => {
  const p = [...ANSI];
  const level = (i: number) => (i === 0 ? 0 : 55 + i * 40);
  for (let r = 0; r < 6; r++) for (let g = 0; g < 6; g++) for (let b = 0; b < 6; b++) p.push((level(r) << 16) | (level(g) << 8) | level(b));
  for (let i = 0; i < 24; i++) {
    const v = 8 + i * 10;
    p.push((v << 16) | (v << 8) | v);
  }
  return p;
})();
