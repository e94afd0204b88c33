#!/usr/bin/env bash
# Uses Qlib.Tracked the way a user outside this repository does: packs Qlib.Tracked and the qtrack tool into a local
# folder feed, copies the consumer projects below to a temp folder outside the clone (none of our Directory.*.props,
# NuGet.Config or global.json apply there), restores them once through a nuget.config whose package source mapping
# takes only Qlib.Tracked* from that feed and everything else from nuget.org, and checks:
#   tracked-app     TrackedApp ([Tracked] model, [Predict], SignalRecord/SigAnaRecord) builds with -warnaserror,
#                   records a run and reloads it; no generator/analyzer assembly reaches its output
#   misspelled      TrackedApp plus MisspelledApp/Misspellings.cs: every "expect QTRKnnn" line is reported at its
#                   file:line (and nothing else is), and -warnaserror turns them into a failed build
#   nativeaot       NativeAOT publish of TrackedApp: no trim/AOT warning from Qlib.Tracked or the app, and the native
#                   run prints exactly what the JIT run printed (run ids normalised)
#   qtrack-tool     `dotnet tool install --tool-path` of Qlib.Tracked.Cli from the feed; `qtrack --version` prints the
#                   packed version and `qtrack runs` on TrackedApp's store names its run
#   old-compiler    a compiler older than the one the generator needs (simulated: -p:CompilerApiVersion=roslyn4.14)
#                   fails the build with QTRKSDK001 naming the SDK to install
# Prints "consumer NAME: passed|FAILED" for each, then "consumers: N passed, N failed". Exit 0 iff all passed.
# Usage: tests/Consumers/run-consumers.sh [--keep]   (--keep leaves the temp folder for inspection)
set -uo pipefail
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
work="$(mktemp -d "${TMPDIR:-/tmp}/qlib-consumers.XXXXXX")"
[ "${1:-}" = "--keep" ] && echo "keeping $work" || trap 'rm -rf "$work"' EXIT
passed=0 failed=0
report() { if [ "$2" = 0 ]; then echo "consumer $1: passed"; passed=$((passed + 1)); else echo "consumer $1: FAILED"; failed=$((failed + 1)); fi; }
finish() { echo "consumers: $passed passed, $failed failed"; [ "$failed" = 0 ]; exit $?; }
all_failed() { echo "$1"; for c in tracked-app misspelled nativeaot qtrack-tool old-compiler; do report "$c" 1; done; finish; }
step() { echo "== consumers: $*"; }

case "$work/" in "$root"/*) all_failed "the temp folder $work is inside the clone $root" ;; esac
# Nothing of ours (or anyone's) may sit above the consumers: they must build with the user's usual settings.
d="$work"
while [ "$d" != "/" ]; do
  d="$(dirname "$d")"
  for f in Directory.Build.props Directory.Build.targets Directory.Packages.props global.json; do
    [ -e "$d/$f" ] && all_failed "$d/$f would apply to the consumers in $work"
  done
done

version="$(dotnet msbuild "$root/src/Runtime/Qlib.Tracked.csproj" -getProperty:Version)" || all_failed "cannot read Version"
feed="$work/feed" apps="$work/consumers"
step "pack Qlib.Tracked and Qlib.Tracked.Cli $version (Release) into $feed"
# As a release would be packed: deterministic, with source paths independent of the clone's location.
dotnet pack "$root/src/Runtime/Qlib.Tracked.csproj" -c Release -o "$feed" -warnaserror -p:ContinuousIntegrationBuild=true > "$work/pack.log" 2>&1 \
  && dotnet pack "$root/src/Cli/Qlib.Tracked.Cli.csproj" -c Release -o "$feed" -warnaserror -p:ContinuousIntegrationBuild=true >> "$work/pack.log" 2>&1 \
  || { cat "$work/pack.log"; all_failed "dotnet pack failed"; }

# The projects, as a user would have them: TrackedApp, and a copy of it with Misspellings.cs added.
mkdir -p "$apps/TrackedApp" "$apps/MisspelledApp"
cp "$here"/TrackedApp/*.cs "$apps/TrackedApp/"
sed "s/@QLIB_TRACKED_VERSION@/$version/" "$here/TrackedApp/TrackedApp.csproj" > "$apps/TrackedApp/TrackedApp.csproj"
cp "$here"/TrackedApp/*.cs "$here"/MisspelledApp/*.cs "$apps/MisspelledApp/"
cp "$apps/TrackedApp/TrackedApp.csproj" "$apps/MisspelledApp/MisspelledApp.csproj"
# Packages restore into a folder of their own that sees the user's cache through links, except our own packages: a
# Qlib.Tracked $version cached by an earlier install (the README's local-feed steps, say) must never stand in for the
# one just packed, and everything else restores without downloading it again.
user_cache="${NUGET_PACKAGES:-$HOME/.nuget/packages}"
mkdir -p "$work/packages"
for cached in "$user_cache"/*; do
  [ -d "$cached" ] || continue
  case "$(basename "$cached")" in qlib.tracked | qlib.tracked.*) continue ;; esac
  ln -s "$cached" "$work/packages/"
done
cat > "$apps/nuget.config" <<XML
<?xml version="1.0" encoding="utf-8"?>
<configuration>
  <config>
    <add key="globalPackagesFolder" value="$work/packages" />
  </config>
  <packageSources>
    <clear />
    <add key="qlib-local" value="$feed" />
    <add key="nuget.org" value="https://api.nuget.org/v3/index.json" />
  </packageSources>
  <fallbackPackageFolders>
    <clear />
  </fallbackPackageFolders>
  <packageSourceMapping>
    <packageSource key="qlib-local">
      <package pattern="Qlib.Tracked*" />
    </packageSource>
    <packageSource key="nuget.org">
      <package pattern="*" />
    </packageSource>
  </packageSourceMapping>
</configuration>
XML
cat > "$apps/Consumers.slnx" <<XML
<Solution>
  <Project Path="TrackedApp/TrackedApp.csproj" />
  <Project Path="MisspelledApp/MisspelledApp.csproj" />
</Solution>
XML
step "restore (once, for every consumer)"
(cd "$apps" && dotnet restore Consumers.slnx) > "$work/restore.log" 2>&1 || { cat "$work/restore.log"; all_failed "restore failed"; }
[ -f "$work/packages/qlib.tracked/$version/qlib.tracked.$version.nupkg" ] || all_failed "Qlib.Tracked $version was not restored from $feed"

# Run ids differ between runs; the command line each build recorded (cmd-sys.argv) names its own binary.
normalise() { sed -E 's/[0-9a-f]{32}/<run_id>/g; s/^(  cmd-sys\.argv = ).*/\1<argv>/'; }

# (1) TrackedApp: builds clean, records a run and reloads it.
step "tracked-app"
rc=0
jit="$apps/TrackedApp/bin/Release/net10.0/linux-x64"
if (cd "$apps/TrackedApp" && dotnet build -c Release --no-restore -warnaserror) > "$work/tracked-build.log" 2>&1; then
  mkdir -p "$work/run-jit"
  (cd "$work/run-jit" && dotnet "$jit/TrackedApp.dll") > "$work/jit.txt" 2>&1 || { echo "TrackedApp exited $?"; rc=1; }
  cat "$work/jit.txt"
  run_id="$(sed -n 's/^run_id: \([0-9a-f]\{32\}\)$/\1/p' "$work/jit.txt")"
  [ -n "$run_id" ] && [ -d "$work/run-jit/mlruns" ] || { echo "no run recorded"; rc=1; }
  grep -qx "same params as trained: True" "$work/jit.txt" && grep -qx "reloaded metrics bit-identical: True" "$work/jit.txt" \
    && grep -qx "record templates: SignalRecord -> SigAnaRecord" "$work/jit.txt" && grep -q "^  IC = " "$work/jit.txt" \
    || { echo "the reloaded run differs from the recorded one"; rc=1; }
  # The generator and analyzers run in the compiler only: nothing of them may be deployed with the app.
  if ls "$jit" | grep -E "Qlib\.Tracked\.(Generators|Analyzers)" || grep -E "Qlib\.Tracked\.(Generators|Analyzers)" "$jit/TrackedApp.deps.json"; then
    echo "a generator/analyzer assembly reached the app's output"; rc=1
  fi
else
  cat "$work/tracked-build.log"; rc=1
fi
report tracked-app "$rc"

# (2) MisspelledApp: the expected QTRK warnings at the expected lines, and an error build under -warnaserror.
step "misspelled"
rc=0
expected="$work/expected.txt"
grep -n "// expect QTRK" "$apps/MisspelledApp/Misspellings.cs" \
  | sed -E 's/^([0-9]+):.*\/\/ expect (QTRK[0-9]+)(: (.*))?$/\1|\2|\4/' > "$expected"
[ "$(wc -l < "$expected")" -ge 5 ] || { echo "Misspellings.cs has too few expectations"; rc=1; }
(cd "$apps/MisspelledApp" && dotnet build -c Release --no-restore) > "$work/misspelled.log" 2>&1 \
  || { cat "$work/misspelled.log"; echo "the build with misspelled names failed without -warnaserror"; rc=1; }
# --no-incremental: an up-to-date compile would report nothing, and so fail nothing.
(cd "$apps/MisspelledApp" && dotnet build -c Release --no-restore --no-incremental -warnaserror) > "$work/misspelled-strict.log" 2>&1 \
  && { echo "the build with misspelled names succeeded under -warnaserror"; rc=1; }
while IFS='|' read -r line id text; do
  for mode in "warning:$work/misspelled.log" "error:$work/misspelled-strict.log"; do
    kind="${mode%%:*}" log="${mode#*:}"
    if ! grep -F "Misspellings.cs($line," "$log" | grep -F "$kind $id:" | grep -qF "$text"; then
      echo "missing: Misspellings.cs($line,…): $kind $id${text:+ … $text}"; rc=1
    fi
  done
done < "$expected"
# No other QTRK diagnostic, anywhere (a misspelling reported twice, or the clean model flagged, is a failure too).
reported="$(grep -oE "[A-Za-z0-9_.]+\.cs\([0-9]+,[0-9]+\): warning QTRK[0-9]+" "$work/misspelled.log" | sort -u)"
echo "$reported"
if [ "$(echo "$reported" | grep -c QTRK)" != "$(wc -l < "$expected")" ]; then
  echo "reported $(echo "$reported" | grep -c QTRK) QTRK diagnostics, expected $(wc -l < "$expected")"; rc=1
fi
report misspelled "$rc"

# (3) NativeAOT publish of TrackedApp: zero trim/AOT warnings from our assemblies and the app; output equals the JIT run's.
step "nativeaot"
rc=0
if (cd "$apps/TrackedApp" && dotnet publish -c Release --no-restore -o "$work/aot") > "$work/publish.log" 2>&1 && [ -x "$work/aot/TrackedApp" ]; then
  # Third-party per-assembly summaries (IL2104/IL3053 for MemoryPack.Core, Parquet.Net) are theirs; any other IL
  # warning (naming Qlib.Tracked, the generated code or the app) fails.
  if grep -E "warning IL[0-9]+" "$work/publish.log" | grep -vE "IL2104|IL3053" | grep -q .; then
    echo "trim/AOT warnings:"; grep -E "warning IL[0-9]+" "$work/publish.log" | sort -u; rc=1
  fi
  if grep -E "warning IL(2104|3053)" "$work/publish.log" | grep -E "'Qlib\.Tracked" | grep -q .; then
    echo "Qlib.Tracked itself has trim/AOT warnings:"; grep -E "warning IL(2104|3053)" "$work/publish.log" | grep "Qlib\.Tracked"; rc=1
  fi
  mkdir -p "$work/run-aot"
  (cd "$work/run-aot" && "$work/aot/TrackedApp") > "$work/aot.txt" 2>&1 || { echo "the native TrackedApp exited $?"; rc=1; }
  if diff -u <(normalise < "$work/jit.txt") <(normalise < "$work/aot.txt"); then
    echo "NativeAOT output equals the JIT output ($(wc -l < "$work/aot.txt") lines)"
  else
    echo "NativeAOT output differs from the JIT output"; rc=1
  fi
else
  cat "$work/publish.log"; rc=1
fi
report nativeaot "$rc"

# (4) The qtrack tool from the same feed, on the store TrackedApp wrote.
step "qtrack-tool"
rc=0
if (cd "$apps" && dotnet tool install Qlib.Tracked.Cli --version "$version" --tool-path "$work/tools" --configfile "$apps/nuget.config") > "$work/tool.log" 2>&1; then
  printed="$("$work/tools/qtrack" --version)"
  [ "$printed" = "$version" ] || { echo "qtrack --version printed '$printed', the package is $version"; rc=1; }
  "$work/tools/qtrack" --store "$work/run-jit/mlruns" runs > "$work/qtrack-runs.txt" 2>&1 || { echo "qtrack runs exited $?"; rc=1; }
  cat "$work/qtrack-runs.txt"
  grep -qF "${run_id:-<no run id>}" "$work/qtrack-runs.txt" || { echo "qtrack runs does not name run ${run_id:-<none>}"; rc=1; }
else
  cat "$work/tool.log"; rc=1
fi
report qtrack-tool "$rc"

# (5) A compiler too old for the generator: the package's buildTransitive check fails the build, naming the SDK.
step "old-compiler"
rc=0
if (cd "$apps/TrackedApp" && dotnet build -c Release --no-restore -p:CompilerApiVersion=roslyn4.14 -o "$work/old-compiler") > "$work/old.log" 2>&1; then
  echo "the build with an old compiler succeeded"; rc=1
fi
grep -E "error QTRKSDK001: .*\.NET SDK 10\.0\.401 or newer.*roslyn4\.14" "$work/old.log" || { cat "$work/old.log"; echo "no QTRKSDK001 naming SDK 10.0.401"; rc=1; }
report old-compiler "$rc"

finish
