# Runs the k3sbox CLI; sourced by both launchers (the clone's ./k3sbox and an installed
# bin/k3sbox) once they have set:
#   jar          the CLI's jar
#   lib          the folder of its runtime jars
#   jvm_options  the `java @file` options file (cli/jvm.options)
#   cds_dir      a writable folder for the class-data archives (may not exist yet)
#   engine       Helm's engine (Go), used when executable and K3SBOX_HELM_ENGINE is unset
#   warm         the warm JVM's front (Go, warm-client/), used for chart commands when executable

if [ -z "${K3SBOX_HELM_ENGINE:-}" ] && [ -x "$engine" ]; then
  export K3SBOX_HELM_ENGINE="$engine"
fi

# helm-runner's jar goes first among the libraries: its CachedHelmLibrary must come before
# helm-java's own native-library provider (the order of "lib/*" is the directory's).
helm_runner=("$lib"/k3sbox-helm-runner-*.jar)
cp="$jar:${helm_runner[0]}:$lib/*"

# The JVM flags (serial GC, C1 only) and why: cli/jvm.options. An application class-data archive
# (AppCDS) made on the first run after a build trims class loading from later starts; a stale or
# unusable archive is ignored by the JVM (-Xshare:auto). One archive a command family (see
# CdsTraining): each start maps and relocates its archive whole, and the Helm family's classes
# would make every lifecycle command pay for them.
case "${1:-}" in
  validate | template | install | uninstall) family=helm ;;
  *) family=lifecycle ;;
esac
cds="$cds_dir/k3sbox-$family.jsa"
# The build is k3sbox's own jars, the newest of which dates it: a rebuild of one module (core,
# helm-runner) leaves the CLI's jar as it was, and the JVM silently refuses an archive made with
# another jar on the class path, so every start would load those classes from the jars again.
newest_jar="$jar"
for own in "$lib"/k3sbox-*.jar; do
  if [ "$own" -nt "$newest_jar" ]; then newest_jar="$own"; fi
done
if [ -f "$cds" ] && [ "$cds" -nt "$newest_jar" ]; then
  share=(-XX:SharedArchiveFile="$cds" -Xlog:cds=off -Xlog:cds+dynamic=off)
else
  share=()
  # Train the family's archive (CdsTraining). Once per build: if no archive comes of it
  # (read-only folder, a JVM without AppCDS), the marker stops every later start from paying for
  # another try.
  tried="$cds.tried"
  if ! [ "$tried" -nt "$newest_jar" ] && mkdir -p "$cds_dir" 2>/dev/null; then
    # In a scratch folder that HOME, K3SBOX_HOME, KUBECONFIG and DOCKER_HOST point into: the
    # training runs real commands against its own stand-in daemon and touches nothing of the user's.
    scratch=$(mktemp -d "${TMPDIR:-/tmp}/k3sbox-cds-training.XXXXXX") &&
      HOME="$scratch" K3SBOX_HOME="$scratch/k3sbox" KUBECONFIG="$scratch/kubeconfig" \
        DOCKER_HOST="unix://$scratch/docker.sock" \
        java "@$jvm_options" -XX:ArchiveClassesAtExit="$cds" -Xlog:cds=off -Xlog:cds+dynamic=off \
        -cp "$cp" dev.k3sbox.cli.training.CdsTraining "$family" "$scratch" >/dev/null 2>&1 || true
    [ -n "${scratch:-}" ] && rm -rf "$scratch"
    touch "$tried" 2>/dev/null || true
  fi
fi
# Helm's native library (Go) reads the environment block the process started with; k3sbox keeps
# the user's kubeconfig out of it by replacing KUBECONFIG there for a moment, which needs the
# variable to exist (empty means unset, as for kubectl). See HelmLibraryLoader.
export KUBECONFIG="${KUBECONFIG-}"
# Chart commands go through the warm JVM's front when there is one (warm-client/main.go): it hands
# the command to a JVM that has already run k3sbox's chart code (~0.2 s instead of ~1 s), or runs
# this very java command line itself and starts such a JVM for next time. K3SBOX_WARM=off (and CI)
# turns it off.
front=()
if [ "$family" = helm ] && [ -x "${warm:-}" ]; then
  front=("$warm")
fi
# The java launcher reads the options file itself (JDK 9+).
# (${a[@]+"${a[@]}"}: an empty array is "unbound" to `set -u` before bash 4.4.)
exec ${front[@]+"${front[@]}"} java "@$jvm_options" ${share[@]+"${share[@]}"} ${K3SBOX_JAVA_OPTS:-} \
  -cp "$cp" dev.k3sbox.cli.K3sbox "$@"
