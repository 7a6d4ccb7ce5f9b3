"""A landscape's pictures (core.surfaces): worked out off the GUI thread, checked here
against the function's own values."""

from __future__ import annotations

import numpy as np
import pytest

from mlcalc_gui.core.contours import nice_levels
from mlcalc_gui.core.expressions import parse_function
from mlcalc_gui.core.surfaces import colour_range, landscape_picture, picture_of_grid


def test_a_bowl_is_coloured_over_its_whole_range():
    f = parse_function("x^2 + y^2")
    picture = landscape_picture(f, (-2, 2, -2, 2), grid=101, mesh=21)
    assert picture.zlim == pytest.approx((0.0, 8.0))  # 101 points hit x = 0 and the corners
    assert picture.extent == pytest.approx((0.0, 8.0))
    assert picture.note == "Colours span f from 0 to 8."
    xs, ys, Z = picture.grid
    assert Z.shape == (101, 101) and picture.mesh[2].shape == (21, 21)
    assert Z[7, 30] == pytest.approx(xs[30] ** 2 + ys[7] ** 2)  # rows are y
    assert picture.tag == ("x^2 + y^2", (-2, 2, -2, 2))
    assert picture.field is None


def test_the_contours_lie_on_their_levels():
    f = parse_function("x^2 + y^2")
    picture = landscape_picture(f, (-2, 2, -2, 2), grid=201, mesh=21, levels=20)
    levels = nice_levels(picture.grid[2], 20)
    pts = picture.contours
    assert len(pts) > 1000 and len(pts) % 2 == 0  # segments in pairs
    r2 = pts[:, 0] ** 2 + pts[:, 1] ** 2
    # Each end is on one of the 20 levels, to the grid's linear interpolation (h² = 4e-4).
    gap = np.abs(r2[:, None] - levels[None, :]).min(axis=1)
    assert gap.max() < 5e-4
    # Every level is drawn (the highest, beyond r = 2, only in the corners).
    assert (np.abs(r2[:, None] - levels[None, :]) < 5e-4).any(axis=0).all()


def test_a_pole_clips_the_colours_and_says_so():
    xs = np.linspace(-1, 1, 101)  # x = 0 is a sample: the pole is hit nearly
    X, Y = np.meshgrid(xs, xs)
    Z = 1 / (X**2 + Y**2 + 1e-8)
    zlim, note = colour_range(Z)
    assert zlim[0] == pytest.approx(0.5)  # the corners: not clipped
    top = np.percentile(Z, 99.5)
    assert zlim[1] == pytest.approx(top) and top < 1e4  # the 99.5th percentile
    assert note.startswith("Colours span f from 0.5 to ")
    assert "the middle 99% of its values: a few reach up to 1.000e+08 (a pole" in note
    assert "down to" not in note


def test_flat_and_undefined_landscapes_get_a_range_and_a_sentence():
    assert colour_range(np.full((5, 5), 3.0))[0] == (2.5, 3.5)
    zlim, note = colour_range(np.full((5, 5), 1e20))
    assert zlim[1] - zlim[0] == pytest.approx(2e14) and zlim[0] < 1e20 < zlim[1]
    holes = np.ones((4, 4))
    holes[0, 0] = np.nan
    assert colour_range(holes)[1].endswith("The holes are where f is undefined.")
    assert colour_range(np.full((3, 3), np.nan)) == ((0.0, 1.0),
                                                     "f is undefined everywhere here.")
    picture = picture_of_grid((np.arange(3.0), np.arange(3.0), np.full((3, 3), np.nan)))
    assert np.isnan(picture.extent).all() and picture.contours.shape == (0, 2)


def test_the_gradient_field_points_uphill_and_fits_its_cells():
    f = parse_function("x^2 + 3 y")
    picture = landscape_picture(f, (-2, 2, -2, 2), grid=41, mesh=11, field=10)
    X, Y, U, V = picture.field
    assert X.shape == (10, 10)
    gx, gy = 2 * X, np.full_like(Y, 3.0)
    cos = (U * gx + V * gy) / (np.hypot(U, V) * np.hypot(gx, gy))
    assert cos == pytest.approx(np.ones_like(cos))  # along ∇f, never against it
    assert np.hypot(U, V).max() == pytest.approx(0.85 * 0.4)  # 0.85 of a 0.4 cell
