"""Times process() on a 12-megapixel phone photo against what Pillow alone needs for the same job.

Run by hand from the project root: .venv/bin/python bench/photo_pipeline.py
The floor is Pillow's draft-mode decode, the same LANCZOS resize to 2048 px and the same JPEG encode
(quality 82, optimised) of the same file, with none of process()'s checks, turning or stripping.
"""

import io
import multiprocessing
import statistics
import sys
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path

from PIL import ExifTags, Image, ImageChops

from est_pwa.observations.photos import process

SIZE = (4000, 3000)
MAX_SIDE = 2048
RUNS = 11
TARGET_RATIO = 1.5
TARGET_MEMORY = 200 * 2**20


def sample_photo() -> bytes:
    """Returns a 4000x3000 JPEG with gradients, sensor-like noise and a phone's EXIF."""
    gradients = [
        Image.linear_gradient("L").resize(SIZE),
        Image.radial_gradient("L").resize(SIZE),
        Image.linear_gradient("L").rotate(90).resize(SIZE),
    ]
    # Noise keeps the file as hard to compress as a real photo; a smooth one would flatter us.
    channels = [ImageChops.add(g, Image.effect_noise(SIZE, 14), offset=-128) for g in gradients]
    exif = Image.Exif()
    exif[ExifTags.Base.Make], exif[ExifTags.Base.Model] = "Bench", "Phone 12"
    exif[ExifTags.Base.Orientation] = 1
    exif.get_ifd(ExifTags.IFD.GPSInfo).update(
        {1: "N", 2: (59.0, 7.0, 39.7), 3: "E", 4: (15.0, 8.0, 36.2)}
    )
    buffer = io.BytesIO()
    Image.merge("RGB", channels).save(buffer, "JPEG", quality=92, exif=exif.tobytes())
    return buffer.getvalue()


def floor(data: bytes) -> bytes:
    """Returns the bare minimum Pillow does: draft decode, resize to 2048 px, JPEG encode."""
    with Image.open(io.BytesIO(data)) as image:
        scale = MAX_SIDE / max(image.size)
        size = (round(image.width * scale), round(image.height * scale))
        image.draft("RGB", size)
        scaled = image.resize(size, Image.Resampling.LANCZOS, reducing_gap=3.0)
    buffer = io.BytesIO()
    scaled.save(buffer, "JPEG", quality=82, optimize=True)
    return buffer.getvalue()


def pipeline(data: bytes) -> bytes:
    """Returns the stored JPEG that process() makes."""
    return process(data, max_side=MAX_SIDE).jpeg


def half_scale_pipeline(data: bytes) -> bytes:
    """Returns process()'s JPEG with a 2000 px cap, where a half-scale JPEG decode covers it."""
    return process(data, max_side=2000).jpeg


RUNNERS: dict[str, Callable[[bytes], bytes]] = {
    "floor": floor,
    "process": pipeline,
    "process_2000": half_scale_pipeline,
}


def medians(data: bytes) -> dict[str, tuple[float, float]]:
    """Returns each runner's median (wall, CPU) seconds, runs interleaved so drift hits all."""
    times: dict[str, list[tuple[float, float]]] = {name: [] for name in RUNNERS}
    for run in range(RUNS + 1):
        for name, runner in RUNNERS.items():
            wall, cpu = time.perf_counter(), time.process_time()
            runner(data)
            if run:  # the first round warms caches and the allocator
                times[name].append((time.perf_counter() - wall, time.process_time() - cpu))
    return {
        name: (statistics.median(w for w, _ in pairs), statistics.median(c for _, c in pairs))
        for name, pairs in times.items()
    }


def peak_rss() -> int:
    """Returns this process's peak resident memory in bytes (Linux)."""
    # Not ru_maxrss: Linux carries the parent's peak over into a spawned child, hiding ours.
    status = Path("/proc/self/status").read_text()
    return int(status.split("VmHWM:")[1].split()[0]) * 1024


def peak_memory(name: str, data: bytes) -> tuple[int, int]:
    """Returns (peak RSS growth, tracemalloc peak) in bytes for one run in this process."""
    baseline = peak_rss()
    tracemalloc.start()
    RUNNERS[name](data)
    traced = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return peak_rss() - baseline, traced


def peak_memory_apart(name: str, data: bytes) -> tuple[int, int]:
    """Returns peak_memory() measured in a new process, so no earlier run hides the peak."""
    with multiprocessing.get_context("spawn").Pool(1) as pool:
        return pool.apply(peak_memory, (name, data))


def mb(size: float) -> str:
    """Returns a byte count in MiB."""
    return f"{size / 2**20:.1f} MiB"


def ms(times: tuple[float, float]) -> str:
    """Returns (wall, CPU) seconds as milliseconds."""
    return f"{times[0] * 1000:.0f} ms wall, {times[1] * 1000:.0f} ms CPU"


def main() -> int:
    """Prints the timings, the ratio to the floor and the peak memory; fails over target."""
    data = sample_photo()
    result = process(data)
    print(f"sample: {SIZE[0]}x{SIZE[1]} JPEG, {mb(len(data))}, with EXIF and GPS")
    print(
        f"stored: {result.width}x{result.height}, {mb(len(result.jpeg))}; thumbnail "
        f"{len(result.thumbnail) / 1024:.0f} KB"
    )
    timing = medians(data)
    ratio = timing["process"][1] / timing["floor"][1]
    print(
        f"floor (Pillow alone: draft decode + LANCZOS to {MAX_SIDE} px + JPEG q82 optimised): "
        f"median {ms(timing['floor'])} over {RUNS} runs"
    )
    print(f"process(): median {ms(timing['process'])}")
    print(
        f"ratio process/floor: {ratio:.2f} in CPU time (target <= {TARGET_RATIO}), "
        f"{timing['process'][0] / timing['floor'][0]:.2f} in wall time"
    )
    print(
        f"for comparison, process(max_side=2000) decodes at half scale: "
        f"{ms(timing['process_2000'])}"
    )
    rss, traced = peak_memory_apart("process", data)
    floor_rss, _ = peak_memory_apart("floor", data)
    print(
        f"process() peak memory: RSS +{mb(rss)} (target < {mb(TARGET_MEMORY)}), "
        f"Python heap {mb(traced)}; floor RSS +{mb(floor_rss)}"
    )
    within = ratio <= TARGET_RATIO and rss < TARGET_MEMORY
    print("within target" if within else "OVER TARGET")
    return 0 if within else 1


if __name__ == "__main__":
    sys.exit(main())
