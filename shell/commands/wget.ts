export { wgetCommand as default } from "./fetch.ts";
