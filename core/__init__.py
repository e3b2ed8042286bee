"""The shared kernel every app may import: money, refusals, display formatting, admin gates.

Plain modules that import no Marquee app, so the apps can depend in one direction."""
