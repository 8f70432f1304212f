/*
Package engine is Helm's template engine, helm.sh/helm/v3@v3.21.0's pkg/engine, with one change
marked "k3sbox:" in engine.go: a template file's parse trees are made once per process and shared
by every render that has the same file (parsed.go), where Helm parses each file for each render.

Why a copy: a k3sbox matrix renders one chart a dozen times (each values set for each Kubernetes
version), and parsing kube-prometheus-stack's templates was a quarter of those renders' CPU. Helm
offers no way to hand its engine parsed templates. The tests beside it are Helm's own (one skipped
where these machines lack DNS); helm-engine's engine_fork_test.go renders real charts with this
copy and with Helm's and compares. To move to a new Helm: copy its pkg/engine again and redo the
change.
*/
package engine
