import subprocess
import sys

import geo


def test_geo_extract_is_the_api_function() -> None:
    from geo.api import extract

    assert geo.extract is extract


def test_importing_geo_does_not_load_geopandas() -> None:
    code = "import sys, geo; print('geopandas' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_atomic_writes_get_the_usual_file_mode(tmp_path) -> None:
    import os

    from geo.paths import write_text_atomically

    target = tmp_path / "out.txt"
    write_text_atomically(target, ["a", "b"])
    assert target.read_text(encoding="utf-8") == "ab"
    mask = os.umask(0)
    os.umask(mask)
    assert target.stat().st_mode & 0o777 == 0o666 & ~mask
