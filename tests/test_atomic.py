"""All-or-nothing writes: a failure keeps the previous file and leaves no temporary behind."""
import numpy as np
import pytest

from latentlab.atomic import atomic_path, write_text
from latentlab.pl import draw


def test_failed_write_keeps_old_file_and_no_temporary(tmp_path):
    target = tmp_path / "report.html"
    write_text(target, "old")
    with pytest.raises(RuntimeError), atomic_path(target) as tmp:
        tmp.write_text("half of the new")
        raise RuntimeError("interrupted")
    assert target.read_text() == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["report.html"]
    write_text(target, "new")
    assert target.read_text() == "new" and len(list(tmp_path.iterdir())) == 1


def test_failed_figure_save_keeps_old_png(tmp_path, monkeypatch):
    target = tmp_path / "grid.png"
    sketch = np.array([[0, 0, 0], [10, 0, 0], [0, 10, 1]], np.float32)
    draw.save_png(draw.grid([sketch]), target)
    before = target.read_bytes()
    fig = draw.grid([sketch, sketch])

    def broken_savefig(path, **kwargs):
        open(path, "wb").write(b"\x89PNG truncated")
        raise OSError("disk full")

    monkeypatch.setattr(fig, "savefig", broken_savefig)
    with pytest.raises(OSError):
        draw.save_png(fig, target)
    assert target.read_bytes() == before and len(list(tmp_path.iterdir())) == 1
