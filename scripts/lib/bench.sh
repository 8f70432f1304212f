# Helpers the scripts/bench-* benchmarks share: `. "$(dirname "$0")/lib/bench.sh"`.
# Functions only; each script keeps its own cleanup, since each leaves different things behind.

# Nanoseconds since the epoch.
now() { date +%s%N; }

# When container $1 last started, in nanoseconds since the epoch (Docker's State.StartedAt).
started_at() { date -d "$(docker inspect -f '{{.State.StartedAt}}' "$1")" +%s%N; }

# The charts of ../shared/charts (realworld.tar.xz), and the flags its README gives for each.
corpus_charts=(cert-manager ingress-nginx kube-prometheus-stack argo-cd postgresql grafana metrics-server istio-base)
corpus_flags() {
  case "$1" in
    cert-manager) echo "--set crds.enabled=true" ;;
    istio-base) echo "-n istio-system" ;;
  esac
}

# Seconds (three decimals) since $1, a time from now().
seconds_since() { awk -v s="$1" -v e="$(now)" 'BEGIN { printf "%.3f\n", (e - s) / 1e9 }'; }

# The median of the numbers on stdin, one a line (of an even count, the mean of the middle two).
median() { sort -n | awk '{a[NR]=$1} END {print (NR % 2 ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2)}'; }

# $1 / $2 with two decimals.
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }

# The JVM flags ./k3sbox runs every command with, as a `java` argument: @cli/jvm.options.
jvm_options="@$(cd "$(dirname "${BASH_SOURCE[0]}")/../../cli" && pwd)/jvm.options"

# The 90% interval of median($1) / median($2) (files of numbers, one a line), by resampling each
# file with replacement 2000 times (bootstrap): how far one benchmark's ratio of medians can be
# trusted when the samples scatter. Prints "low-high" with two decimals.
ratio_interval() {
  awk '
    function sort(v, n,    i, j, t) {
      for (i = 2; i <= n; i++) { t = v[i]; for (j = i - 1; j >= 1 && v[j] > t; j--) v[j + 1] = v[j]; v[j + 1] = t }
    }
    function median(v, n,    i, s) {
      for (i = 1; i <= n; i++) s[i] = v[i]
      sort(s, n)
      return n % 2 ? s[(n + 1) / 2] : (s[n / 2] + s[n / 2 + 1]) / 2
    }
    FNR == NR { a[++n] = $1; next }
    { b[++m] = $1 }
    END {
      srand(1)
      for (r = 1; r <= 2000; r++) {
        for (i = 1; i <= n; i++) x[i] = a[int(rand() * n) + 1]
        for (i = 1; i <= m; i++) y[i] = b[int(rand() * m) + 1]
        q[r] = median(x, n) / median(y, m)
      }
      sort(q, 2000)
      printf "%.2f-%.2f", q[100], q[1900]
    }' "$1" "$2"
}
