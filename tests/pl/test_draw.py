import matplotlib.pyplot as plt
import numpy as np
from matplotlib.path import Path as MplPath
from PIL import Image

from latentlab.pl import draw

L_SHAPE = np.array([[0, 0, 0], [0, 100, 0], [50, 0, 1]], np.float32)  # down, then right: an "L"


def _ink(path):
    img = np.asarray(Image.open(path).convert("L"))
    ys, xs = np.nonzero(img < 128)
    return img, xs, ys


def test_path_uses_moveto_at_pen_lifts(sheep):
    sketch = sheep["test"].sketches[0]
    path = draw.sketch_path(sketch)
    assert (path.codes == MplPath.MOVETO).sum() == int(sketch[:, 2].sum())
    np.testing.assert_allclose(path.vertices[-1], sketch[:, :2].sum(0))


def test_png_ink_matches_sketch_bounds_and_y_points_down(tmp_path):
    fig, ax = plt.subplots(figsize=(3, 3))
    draw.draw(L_SHAPE, ax)
    draw.save_png(fig, tmp_path / "l.png")
    img, xs, ys = _ink(tmp_path / "l.png")
    width, height = xs.max() - xs.min(), ys.max() - ys.min()
    assert abs(width / height - 0.5) < 0.05  # 50 wide, 100 tall
    bottom = xs[ys > ys.max() - 3]
    top = xs[ys < ys.min() + 3]
    assert bottom.max() - bottom.min() > 0.8 * width  # the foot of the L is at the bottom
    assert top.max() - top.min() < 0.2 * width


def test_grid_and_svg(sheep, tmp_path):
    sketches = sheep["test"].sketches[:10]
    draw.save_png(draw.grid(sketches, [str(i) for i in range(10)], ncols=5), tmp_path / "g.png")
    img = Image.open(tmp_path / "g.png")
    assert img.size[0] > 1.5 * img.size[1]  # 5 columns, 2 rows
    svg = draw.to_svg(L_SHAPE, size=100)
    assert svg.startswith("<svg") and svg.count("M") == 1 and "L" in svg
    coords = np.array([[float(v) for v in p.split(",")] for p in svg.split('d="M')[1].split('"')[0].split(" L")])
    assert coords.min() >= 0 and coords.max() <= 100


def test_animation_gif_and_html(sheep, tmp_path):
    a, b = sheep["test"].sketches[:2]
    anim = draw.animate([a, b])
    draw.save_animation(anim, tmp_path / "a.gif")
    draw.save_animation(anim, tmp_path / "a.html")
    gif = Image.open(tmp_path / "a.gif")
    assert gif.n_frames > 0.8 * max(len(a), len(b))  # Pillow merges frames that add no ink
    gif.seek(gif.n_frames - 1)
    last_ink = (np.asarray(gif.convert("L")) < 128).sum()
    gif.seek(1)
    assert (np.asarray(gif.convert("L")) < 128).sum() < last_ink  # strokes appear over time
    html = (tmp_path / "a.html").read_text()
    assert "<script" in html and "animation" in html.lower()
