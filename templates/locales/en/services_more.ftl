# The supplier's one services page: pausing and resuming services there.
services-column-hold = On hold
services-hold-paused = Paused by you
services-hold-running = Running
