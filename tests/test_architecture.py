"""The layers of ARCHITECTURE.md hold: import-linter's contracts
(pyproject.toml) pass, so an import that runs back up a layer fails the suite."""

import subprocess
import sys
from pathlib import Path

from django.conf import settings


def test_import_contracts_are_kept():
    lint_imports = Path(sys.executable).with_name("lint-imports")
    result = subprocess.run(
        [str(lint_imports), "--no-cache"], cwd=settings.BASE_DIR, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout
