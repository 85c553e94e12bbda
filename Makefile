# tsos — the two commands a newcomer needs are `make run` and `make test`.
# Everything else is a step they are made of. Bun comes from node_modules (npm ci).

BUN := node_modules/.bin/bun
.DEFAULT_GOAL := help

.PHONY: help deps kernel rootfs image verify run dev test typecheck bench bench-boot bench-dev bench-shutdown bench-net bench-rfb bench-desktop clean

help:
	@echo "make run         install what is missing, build, boot the guest under QEMU with its desktop: prints the browser URL, the VNC address and the ssh command (serial console here; Ctrl-A X quits)"
	@echo "make test        install, build, run unit and VM tests; ends with 'N passed, N failed'"
	@echo "make image       kernel + root image + signed manifest in build/image/"
	@echo "make verify      check build/image/manifest.json's signature and digests"
	@echo "make dev         boot under QEMU and hot-replace services as you edit them"
	@echo "make bench       bench-boot (tsos init vs a tiny static init), bench-dev (edit -> running), bench-net, bench-rfb (display broker), bench-desktop (first frame, launcher, keypress -> glyph, idle CPU and memory)"
	@echo "make kernel | rootfs | typecheck | deps | clean"

deps:
	@ci/deps.sh

$(BUN):
	@ci/deps.sh

kernel: $(BUN)
	@$(BUN) buildroot/kernel.ts

rootfs: $(BUN)
	@$(BUN) buildroot/rootfs.ts

image: $(BUN)
	@$(BUN) buildroot/image.ts

verify: $(BUN)
	@$(BUN) buildroot/verify.ts

# The desktop in a browser (noVNC on loopback behind a URL token) and on VNC; the serial console stays here.
run: deps image
	@host-launcher/bin/tsos run --display

dev: deps image
	@host-launcher/bin/tsos dev

typecheck: $(BUN)
	@node_modules/.bin/tsc --noEmit -p .

test: deps image
	@$(BUN) ci/test.ts

bench: bench-boot bench-dev bench-shutdown bench-net bench-rfb bench-desktop

bench-rfb: deps
	@$(BUN) bench/rfb.ts

bench-desktop: deps image
	@$(BUN) bench/desktop.ts

bench-net: deps image
	@$(BUN) bench/net.ts

bench-shutdown: deps image
	@$(BUN) bench/shutdown.ts

bench-dev: deps image
	@$(BUN) bench/dev-loop.ts

bench-boot: deps image
	@$(BUN) bench/boot.ts

clean:
	rm -rf build
