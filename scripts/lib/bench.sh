# Helpers the scripts/bench-* benchmarks share: `. "$(dirname "$0")/lib/bench.sh"`.
# Functions only; each script keeps its own cleanup, since each leaves different things behind.

# Nanoseconds since the epoch.
now() { date +%s%N; }

# The median of the numbers on stdin, one a line (of an even count, the lower middle one).
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

# $1 / $2 with two decimals.
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }

# The JVM flags ./k3sbox runs every command with, as a `java` argument: @cli/jvm.options.
jvm_options="@$(cd "$(dirname "${BASH_SOURCE[0]}")/../../cli" && pwd)/jvm.options"
