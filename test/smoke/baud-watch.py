# Prints the baud rate the other end of a pseudo-terminal is set to, each time it changes
# (TCGETS2 reads non-standard rates such as 74880 too). Used by board-double.mjs to behave like a
# UART: a reader at another baud gets garbage. Never reads the terminal's data.
import array, fcntl, os, sys, time
TCGETS2 = 0x802C542A
fd = os.open(sys.argv[1], os.O_RDONLY | os.O_NOCTTY | os.O_NONBLOCK)
last = None
while True:
    buf = array.array('I', [0] * 11)
    try:
        fcntl.ioctl(fd, TCGETS2, buf)
    except OSError:
        break
    speed = buf[10]  # c_ospeed
    if speed != last:
        last = speed
        print(speed, flush=True)
    time.sleep(0.01)
