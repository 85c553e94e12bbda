// wm: not yet built (see the open issue for it); tsbox dispatches here already.
export function main(): number {
  console.error("wm: not yet built in this tsos image");
  return 1;
}
