"""The private virtual environment with the `gguf` package that the GGUF and llama reference
scripts (gguf/make_references.py, llama/make_references.py) run in; neither the tests nor CI need it."""
import os
import subprocess
import sys
from pathlib import Path

VENV = Path("/tmp/cuaderno-gguf-references-venv")
# The version the committed references were made with.
REQUIREMENT = "gguf==0.19.0"


def ensure_gguf(script):
    """Imports gguf, or makes the private virtual environment and runs `script` again in it."""
    try:
        import gguf  # noqa: F401
        return
    except ImportError:
        pass
    if os.environ.get("CUADERNO_GGUF_VENV") == "1":
        sys.exit(f"error: {REQUIREMENT} is still missing in {VENV}; delete that folder and run again")
    python = VENV / "bin" / "python"
    if not python.exists():
        print(f"Making {VENV} and installing {REQUIREMENT} there…", flush=True)
        subprocess.run([sys.executable, "-m", "venv", str(VENV)], check=True)
        subprocess.run([str(python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check", REQUIREMENT],
                       check=True)
    os.execve(str(python), [str(python), script, *sys.argv[1:]], {**os.environ, "CUADERNO_GGUF_VENV": "1"})
