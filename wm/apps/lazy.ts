// An app whose code loads on first open: wm starts (and draws its first frame)
// without evaluating the terminal emulator or the apps' modules. Input that
// arrives while the module loads is replayed to the app once it is running.
import type { PointerEvent } from "../input/hub.ts";
import type { KeyEvent } from "../input/keymap.ts";
import type { App, AppHost } from "./app.ts";

export class LazyApp implements App {
  private app: App | undefined;
  private queued: KeyEvent[] = [];
  private stopped = false;

  constructor(public title: string, private readonly load: () => Promise<App>) {}

  start(host: AppHost): void {
    host.surface.fill(host.surface.bounds(), host.theme().windowBg);
    host.damage();
    void this.load().then(
      (app) => {
        if (this.stopped) return;
        this.app = app;
        app.start(host);
        host.setTitle(app.title);
        for (const k of this.queued.splice(0)) app.key(k);
      },
      (e: Error) => host.setTitle(`${this.title}: failed to load (${e.message})`),
    );
  }

  resized(): void {
    this.app?.resized();
  }

  key(e: KeyEvent): void {
    if (this.app) this.app.key(e);
    else if (this.queued.length < 256) this.queued.push(e);
  }

  pointer(e: PointerEvent): void {
    this.app?.pointer?.(e);
  }

  stop(): void {
    this.stopped = true;
    this.app?.stop();
  }
}
