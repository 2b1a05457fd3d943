# The supplier's one services page: pausing and resuming services there.
services-column-hold = I bero
services-hold-paused = Sat i bero af jer
services-hold-running = Kører
