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
