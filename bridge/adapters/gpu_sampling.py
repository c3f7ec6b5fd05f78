"""
Peak GPU memory sampled inside a remote job (SSH hosts, Slurm compute nodes), next to the run.

The job script (:func:`bridge.adapters.backends.ssh.remote.job_script`, which the Slurm batch
script reuses) calls :data:`SAMPLER` before the run's command; in the background, about once a
second, it asks::

    nvidia-smi --query-compute-apps=pid,used_memory --format=csv,noheader,nounits

adds up the memory of the processes below the job script (its process tree, walked through
``ps``), and keeps the highest sum in the attempt directory. Sampling in the job, not from
bridge's polls, catches peaks of a second or two wherever the job runs. Markers written:

- ``gpu_peak_mib``: the highest sum seen, once a sample could be attributed (``0``: processes
  were listed, none of them the job's);
- ``gpu_total_mib``: the smallest ``memory.total`` of the GPUs ``nvidia-smi`` shows there;
- ``gpu_unmeasured``: why nothing could be attributed, one line: no ``nvidia-smi`` on the host,
  it failed, it listed no GPU process at all while the job ran (in a container it often lists
  none, so an empty list is not read as "0 MiB"), or it listed processes ``ps`` does not show
  (another pid namespace). Written first and removed at the first attributable sample.

:func:`reading` turns the three markers into a :class:`GpuMemory`. A host without
``nvidia-smi`` is "not measured", said as such: never a pass on a number nobody read, never a
failure either (CPU runs).
"""

from __future__ import annotations

import attrs

from bridge.value_methods import value_methods

__all__ = ["MARKERS", "SAMPLER", "GpuMemory", "reading"]

#: The attempt-directory files the sampler writes, in the order :func:`reading` takes them.
MARKERS = ("gpu_peak_mib", "gpu_total_mib", "gpu_unmeasured")

# Shell functions for bash; ``$A`` is the attempt directory, ``$1`` the job script's pid.
# ``bridge_gpu_sampler`` writes the first markers before the command starts (so even a job of a
# few milliseconds says whether it was measured), then starts the loop in the background and
# leaves its pid in ``BRIDGE_GPU_SAMPLER`` for the job to stop it. The awk program reads ``ps``
# (pid, ppid), a ``@@`` line, then nvidia-smi's CSV, and prints the MiB used by processes whose
# ancestors include the job script, how many processes nvidia-smi listed, and how many of those
# ``ps`` shows. Writes are tmp + mv: a reader never sees half a number, and a sampler killed
# mid-write leaves the last whole one; the peak is written before the note is removed.
SAMPLER = r"""bridge_gpu_sampler() {
  if ! command -v nvidia-smi >/dev/null 2>&1; then
    echo "no nvidia-smi on ${HOSTNAME:-this host}" > "$A/gpu_unmeasured"; return 0
  fi
  total=$(nvidia-smi --query-gpu=memory.total --format=csv,noheader,nounits 2>&1 \
    | tr -d ' ' | sort -n | head -n 1)
  case "$total" in ''|*[!0-9]*) ;; *) echo "$total" > "$A/gpu_total_mib";; esac
  echo "nvidia-smi listed no GPU process while it ran" > "$A/gpu_unmeasured"
  bridge_gpu_loop "$1" > /dev/null 2>&1 &
  BRIDGE_GPU_SAMPLER=$!
}
bridge_gpu_note() {
  echo "$1" > "$A/gpu_unmeasured.tmp" && mv -f "$A/gpu_unmeasured.tmp" "$A/gpu_unmeasured"
}
bridge_gpu_loop() {
  peak=-1
  while kill -0 "$1" 2>/dev/null; do
    if apps=$(nvidia-smi --query-compute-apps=pid,used_memory --format=csv,noheader,nounits \
        2>&1); then
      read -r used listed seen <<< "$({ ps -e -o pid= -o ppid=; echo @@; printf '%s\n' "$apps"; } \
        | awk -v root="$1" '
        $0 == "@@" { apps = 1; next }
        !apps { parent[$1] = $2; next }
        { gsub(/ /, ""); n = split($0, f, ",")
          if (n == 2 && f[1] ~ /^[0-9]+$/ && f[2] ~ /^[0-9]+$/) { mib[f[1]] += f[2]; listed++ } }
        END { s = 0; seen = 0
          for (p in mib) {
            if (p in parent) seen++
            q = p; hops = 0
            while (q != root && q in parent && hops < 256) { q = parent[q]; hops++ }
            if (q == root) s += mib[p] }
          print s, listed + 0, seen }')"
      if [ "${listed:-0}" -gt 0 ] && [ "${seen:-0}" -eq 0 ]; then
        [ "$peak" -lt 0 ] && bridge_gpu_note "nvidia-smi lists GPU processes that ps here \
does not show (another pid namespace, e.g. a container)"
      elif [ "${listed:-0}" -gt 0 ] && [ "${used:-0}" -gt "$peak" ]; then
        echo "$used" > "$A/gpu_peak_mib.tmp" && mv -f "$A/gpu_peak_mib.tmp" "$A/gpu_peak_mib"
        [ "$peak" -lt 0 ] && rm -f "$A/gpu_unmeasured"
        peak=$used
      fi
    else
      bridge_gpu_note "nvidia-smi failed: $(printf '%s' "$apps" | tail -n 1 | cut -c1-200)"
    fi
    sleep 1
  done
}
"""


@value_methods
@attrs.frozen(kw_only=True, eq=False, repr=False)
class GpuMemory:
    """
    What the sampler recorded for one attempt.

    Attributes:
        peak_mib: the most GPU memory the job's processes used; None when not measured.
        total_mib: the smallest GPU's memory where it ran; None when unknown.
        unmeasured: why the peak is not (fully) measured; ``""`` when it is.
    """

    peak_mib: int | None = None
    total_mib: int | None = None
    unmeasured: str = ""


def reading(peak: str, total: str, unmeasured: str) -> GpuMemory:
    """
    Read the three markers' texts (``""`` for a missing file). A peak that is not a whole
    number counts as not measured; a failure of ``nvidia-smi`` after a peak was read keeps the
    peak and says the sampling was cut short.
    """
    peak, total, why = peak.strip(), total.strip(), " ".join(unmeasured.split())
    return GpuMemory(
        peak_mib=int(peak) if peak.isdigit() else None,
        total_mib=int(total) if total.isdigit() else None,
        unmeasured=why,
    )
