"""Writes colormaps.json: matplotlib's viridis and coolwarm at 256 evenly spaced points.

Cuaderno's colour maps are its own code (viridis from 17 anchors, coolwarm from Moreland's Msh
interpolation); the tests compare them with matplotlib's tables, the reference readers know.
Run once with matplotlib installed: python3 make_colormap_fixtures.py
"""
import json
import pathlib

from matplotlib import colormaps

points = [i / 255 for i in range(256)]
fixtures = {
    "matplotlib": __import__("matplotlib").__version__,
    "viridis": [list(colormaps["viridis"](t)[:3]) for t in points],
    "coolwarm": [list(colormaps["coolwarm"](t)[:3]) for t in points],
}
path = pathlib.Path(__file__).with_name("colormaps.json")
path.write_text(json.dumps(fixtures, indent=0) + "\n")
print("wrote", path)
