# LocalStore Platform: every set-up step a fresh machine needs, idempotent.
# `make demo` runs the product on embedded defaults; `make test` runs every test.
SHELL := /bin/bash
.DEFAULT_GOAL := help
NODE_STAMP := node_modules/.package-lock.json
CELL_DIST := cell-api/dist

.PHONY: help install services browser services-down build migrate seed-demo demo cell lint typecheck test bench clean ai-venv models models-down proto proto-check bench-ai bench-web tools

help: ## list the targets
	@grep -E '^[a-z0-9-]+:.*## ' $(MAKEFILE_LIST) | sed -E 's/:.*## /\t/' | column -t -s $$'\t'

$(NODE_STAMP): package.json package-lock.json $(wildcard */package.json)
	npm ci --no-audit --no-fund
	@touch $(NODE_STAMP)

install: $(NODE_STAMP) ## install Node dependencies (npm ci) when the lock file changed

services: ## install (apt) and start PostgreSQL, Redis and NATS on loopback, data in .local/
	scripts/services.sh up

browser: ## install Debian's Chromium for the web app's browser tests (apt, once)
	scripts/services.sh browser

services-down: ## stop the servers this repo started
	scripts/services.sh down

WEB_OUT := web/out/index.html
WEB_SOURCES := $(shell find web/src web/public web/scripts -type f 2>/dev/null) web/next.config.ts web/package.json $(wildcard common/src/*.ts)

build: install $(WEB_OUT) ## compile common, the cell database, the cell API, the control plane, the operator and the web app
	npx tsc -b common cell-db cell-api/tsconfig.build.json control-plane/tsconfig.build.json operator/tsconfig.build.json

$(WEB_OUT): $(NODE_STAMP) $(WEB_SOURCES)
	NEXT_TELEMETRY_DISABLED=1 npm run build -w web

migrate: build ## run the cell and directory migrations (as the schema owner)
	scripts/services.sh up postgres redis nats
	node $(CELL_DIST)/scripts/migrate.js
	node control-plane/dist/scripts/migrate.js

seed-demo: migrate ## create the three demo tenants with their history, or top them up to the last hour
	node $(CELL_DIST)/scripts/seed-demo.js

demo: build ## run the product on embedded defaults (control plane on :8080, cell behind it) and print where to open it
	scripts/demo.sh

lint: install ## typecheck every workspace, run ESLint and check the formatting (Prettier)
	npx tsc -b common cell-db
	npx tsc --noEmit -p common/tsconfig.test.json
	npx tsc --noEmit -p cell-db/tsconfig.test.json
	npx tsc --noEmit -p cell-api/tsconfig.json
	npx tsc --noEmit -p control-plane/tsconfig.json
	npx tsc --noEmit -p operator/tsconfig.json
	npx tsc --noEmit -p pulumi/tsconfig.json
	npx tsc --noEmit -p web/tsconfig.test.json
	npx tsc --noEmit -p flows/tsconfig.json
	npx tsc --noEmit -p bench/tsconfig.json
	npx eslint --max-warnings 0 .
	npx prettier --check --log-level warn .

test: install services browser k8s-up models tools lint proto-check build ## install what is missing, start the servers (a real kube-apiserver and the model server too), build, run every test
	scripts/run-tests.sh

bench: build ## measure the cell, the control plane, real time (NATS, Redis) and the operator on the seeded demo data
	scripts/services.sh up postgres redis nats
	node $(CELL_DIST)/scripts/migrate.js
	node $(CELL_DIST)/scripts/seed-demo.js
	npx tsx --tsconfig bench/tsconfig.json bench/run.ts

tools: ## build helm, promtool and dockerfile-lint into .local/bin/ from the Go module proxy (once per pin change)
	scripts/tools.sh build helm promtool dockerfile-lint

ai-venv: ## create .local/ai-venv with the models' pinned Python packages (once per requirements change)
	scripts/model-server.sh venv

models: ## start the KServe model server (ai/) on 127.0.0.1:58081 (gRPC) and :58080 (REST)
	scripts/model-server.sh up

models-down: ## stop the model server that `models` started
	scripts/model-server.sh down

PROTO_TS := cell-api/src/integrations/inference/generated
PROTOC_TS = .local/ai-venv/bin/python -m grpc_tools.protoc -Iproto --plugin=protoc-gen-ts_proto=node_modules/.bin/protoc-gen-ts_proto \
	--ts_proto_opt=outputServices=grpc-js,esModuleInterop=true,env=node,useOptionals=messages,forceLong=number,oneof=unions-value

proto: install ai-venv ## generate the TypeScript gRPC client (ts-proto, @grpc/grpc-js) from proto/; never edit its output
	rm -rf $(PROTO_TS) && mkdir -p $(PROTO_TS)
	$(PROTOC_TS) --ts_proto_out=$(PROTO_TS) proto/inference/grpc_predict_v2.proto

proto-check: install ai-venv ## fail when the generated client differs from what proto/ generates
	rm -rf .local/proto-check && mkdir -p .local/proto-check
	$(PROTOC_TS) --ts_proto_out=.local/proto-check proto/inference/grpc_predict_v2.proto
	diff -r .local/proto-check $(PROTO_TS) || { echo 'the generated client is stale: run make proto'; exit 1; }

bench-web: seed-demo browser ## the web app in Chromium on a 4x slower CPU: JavaScript transferred, time to interactive, tap to saved
	npx tsx --tsconfig bench/tsconfig.json bench/web/web-bench.ts

bench-ai: build ai-venv ## forecast accuracy (MASE, Tết window, interval coverage) and ModelInfer latency on the demo data
	scripts/model-server.sh up
	npx tsx --tsconfig bench/tsconfig.json bench/ai/ai-bench.ts

clean: ## remove build output (keeps .local/ data)
	rm -rf common/dist cell-db/dist cell-api/dist control-plane/dist operator/dist *.tsbuildinfo */*.tsbuildinfo

.PHONY: k8s-up k8s-down

k8s-up: ## build (once, cached in .local/bin/) and start kube-apiserver + etcd on 127.0.0.1:56443; kubeconfig in .local/k8s/
	scripts/k8s.sh up

k8s-down: ## stop the kube-apiserver that k8s-up started
	scripts/k8s.sh down
