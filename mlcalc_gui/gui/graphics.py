"""Which graphics the tutor found: hardware OpenGL, software OpenGL (Mesa's llvmpipe, on
a machine without a graphics driver or in a virtual machine), or none that draws.

A context that can be made is not enough: on an X server without GLX, Qt makes one
through EGL while PyOpenGL (which pyqtgraph's 3D items draw with) looks for GLX, and
every frame failed with a traceback (302 of them, over blank white panes).  So the probe
draws: it clears a small framebuffer to a colour through PyOpenGL and reads it back.  If
that fails, the 3D views say in words that they need OpenGL, the 2D views work as ever,
and one line of warning is printed.

``MLCALC_NO_OPENGL=1`` switches the 3D views off whatever the machine has (for a
machine whose OpenGL draws wrongly, or a slow remote desktop).
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass

__all__ = ["Graphics", "graphics", "SWITCH_OFF", "describe"]

#: The environment variable that switches the 3D views off.
SWITCH_OFF = "MLCALC_NO_OPENGL"

_SOFTWARE = ("llvmpipe", "softpipe", "swrast", "software rasterizer", "basic render",
             "lavapipe", "swiftshader")


@dataclass(frozen=True)
class Graphics:
    """``kind`` is "hardware", "software" or "none"; ``renderer`` what OpenGL calls
    itself; ``reason`` why there is none."""

    kind: str
    renderer: str = ""
    reason: str = ""

    @property
    def drawable(self) -> bool:
        return self.kind != "none"


_FOUND: Graphics | None = None


def graphics() -> Graphics:
    """What this display offers (probed once; needs a QGuiApplication)."""
    global _FOUND
    if _FOUND is None:
        _FOUND = _probe()
        if not _FOUND.drawable and not os.environ.get(SWITCH_OFF):
            sys.stderr.write(f"mlcalc-gui: the 3D views are off: {_FOUND.reason}\n")
    return _FOUND


def _probe() -> Graphics:
    if os.environ.get(SWITCH_OFF):
        return Graphics("none", reason=f"OpenGL is switched off ({SWITCH_OFF} is set).")
    try:
        from OpenGL import GL, contextdata
        from PySide6.QtGui import QOffscreenSurface, QOpenGLContext
        from PySide6.QtOpenGL import QOpenGLFramebufferObject
    except Exception as exc:  # missing PyOpenGL, libGL or Qt's OpenGL module
        return Graphics("none", reason=f"the OpenGL libraries could not be loaded ({exc}).")
    context = QOpenGLContext()
    surface = QOffscreenSurface()
    surface.create()
    if not (context.create() and context.makeCurrent(surface)):
        return Graphics("none", reason="this display offers no OpenGL (a remote desktop, "
                                       "perhaps).")
    try:
        # PyOpenGL must find the context Qt made (it does not under EGL when it looks for
        # GLX: every 3D frame then failed in glVertexAttribPointer).
        contextdata.getContext()
        fbo = QOpenGLFramebufferObject(4, 4)
        if not (fbo.isValid() and fbo.bind()):
            return Graphics("none", reason="OpenGL cannot draw off screen here.")
        GL.glClearColor(0.2, 0.4, 0.6, 1.0)
        GL.glClear(GL.GL_COLOR_BUFFER_BIT)
        GL.glFinish()
        image = fbo.toImage()
        pixel = image.pixelColor(1, 1)
        renderer = GL.glGetString(GL.GL_RENDERER)
        renderer = renderer.decode(errors="replace") if isinstance(renderer, bytes) else ""
        fbo.release()
    except Exception as exc:  # a context that exists but cannot draw (EGL under GLX's
        # PyOpenGL, a broken driver)
        return Graphics("none", reason=f"OpenGL is there but cannot draw ({type(exc).__name__}: "
                                       f"{str(exc).splitlines()[0][:120]}).")
    finally:
        context.doneCurrent()
    if (abs(pixel.red() - 51) > 3 or abs(pixel.green() - 102) > 3
            or abs(pixel.blue() - 153) > 3):
        return Graphics("none", renderer, "OpenGL draws the wrong colours here.")
    kind = "software" if any(s in renderer.lower() for s in _SOFTWARE) else "hardware"
    return Graphics(kind, renderer)


def describe(found: Graphics) -> str:
    """A sentence for Help > About: what was found and how to switch."""
    if found.kind == "hardware":
        return (f"3D: hardware OpenGL ({found.renderer}). To switch the 3D views off, "
                f"start the tutor with {SWITCH_OFF}=1.")
    if found.kind == "software":
        return (f"3D: software OpenGL ({found.renderer}): it works, more slowly. To switch "
                f"the 3D views off, start the tutor with {SWITCH_OFF}=1.")
    return (f"3D: none — {found.reason} The 2D views and lessons work as ever. Where a "
            f"graphics driver is installed later, the 3D views come back by themselves"
            + ("" if not os.environ.get(SWITCH_OFF) else f"; unset {SWITCH_OFF} first")
            + ".")
