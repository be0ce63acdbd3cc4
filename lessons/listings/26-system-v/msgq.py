# A helper of lessons/26-system-v.md: System V message queues through libc,
# with ctypes (Node has no binding for them).
#
#   python3 msgq.py create                    msgget(IPC_PRIVATE): print the queue id
#   python3 msgq.py send ID TYPE TEXT         msgsnd(2), without waiting
#   python3 msgq.py receive ID TYPE           msgrcv(2): the first message of that type
#                                             (0: the first of any type); print it
import ctypes
import os
import sys

IPC_PRIVATE, IPC_CREAT, IPC_NOWAIT = 0, 0o1000, 0o4000
MAX_TEXT = 64
libc = ctypes.CDLL(None, use_errno=True)


class Message(ctypes.Structure):  # struct msgbuf: a type, then the bytes
    _fields_ = [("mtype", ctypes.c_long), ("mtext", ctypes.c_char * MAX_TEXT)]


def check(result, call):
    if result < 0:
        err = ctypes.get_errno()
        sys.exit(f"{call}: {os.strerror(err)}")
    return result


command = sys.argv[1]
if command == "create":
    print(check(libc.msgget(IPC_PRIVATE, IPC_CREAT | 0o600), "msgget"))
elif command == "send":
    queue, kind, text = int(sys.argv[2]), int(sys.argv[3]), sys.argv[4].encode()
    message = Message(kind, text)
    check(libc.msgsnd(queue, ctypes.byref(message), len(text), IPC_NOWAIT), "msgsnd")
elif command == "receive":
    queue, kind = int(sys.argv[2]), int(sys.argv[3])
    message = Message()
    size = check(libc.msgrcv(queue, ctypes.byref(message), MAX_TEXT, kind, IPC_NOWAIT), "msgrcv")
    print(f"type {message.mtype}: {message.mtext[:size].decode()}")
