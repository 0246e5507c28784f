"""Write the quick-order screen's scan sounds, resources/sounds/scan-good.wav and
scan-bad.wav: short 16-bit mono tones made with the standard library (run it again after
changing a tone; the WAV files are committed).

    python tools/make_scan_sounds.py
"""

from __future__ import annotations

import math
import struct
import wave
from pathlib import Path

RATE = 22_050
OUT = Path(__file__).resolve().parents[1] / "resources" / "sounds"

# (frequency in Hz, seconds); 0 Hz is a pause. A good scan chirps upwards, a bad one buzzes
# twice, low: told apart without looking, and not shrill in an office.
GOOD = [(1_320.0, 0.055), (1_760.0, 0.075)]
BAD = [(196.0, 0.12), (0.0, 0.05), (196.0, 0.16)]


def tone(frequency: float, seconds: float, *, volume: float, buzz: bool) -> list[float]:
    count = int(RATE * seconds)
    fade = min(count // 2, int(RATE * 0.006))  # 6 ms ramps: no click at either end
    samples = []
    for n in range(count):
        if frequency <= 0:
            samples.append(0.0)
            continue
        phase = 2 * math.pi * frequency * n / RATE
        value = math.sin(phase)
        if buzz:  # odd harmonics make the low tone audible on small laptop speakers
            value += math.sin(3 * phase) / 3 + math.sin(5 * phase) / 5
            value /= 1.53
        ramp = min(1.0, n / fade if fade else 1.0, (count - 1 - n) / fade if fade else 1.0)
        samples.append(volume * ramp * value)
    return samples


def write(path: Path, parts: list[tuple[float, float]], *, volume: float, buzz: bool) -> None:
    samples = [s for f, secs in parts for s in tone(f, secs, volume=volume, buzz=buzz)]
    frames = b"".join(struct.pack("<h", round(s * 32_767)) for s in samples)
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(RATE)
        out.writeframes(frames)


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    write(OUT / "scan-good.wav", GOOD, volume=0.45, buzz=False)
    write(OUT / "scan-bad.wav", BAD, volume=0.55, buzz=True)
    for name in ("scan-good.wav", "scan-bad.wav"):
        print(f"{OUT / name}: {(OUT / name).stat().st_size} bytes")


if __name__ == "__main__":
    main()
