# Stand-ins of the runtime suite, one python3 file (python3-minimal: no json, no http.server):
#   proxy           goproxy's listeners: logs each connection with its original destination and relays it
#   app PORT...     a tiny HTTP server; GET /call/IP/PORT makes it call out and returns the answer
#   echo PORT...    an outside server that answers who connected to what
#   call IP PORT    one request, the answer on stdout
# Every log line is "event key=value ..." on stdout, flushed, for the suite to read back with podman logs.
import os
import socket
import struct
import sys
import threading

SO_ORIGINAL_DST = 80  # linux/netfilter_ipv4.h


def log(event, **fields):
    print(event, *(f'{k}={v}' for k, v in fields.items()), flush=True)


def addr(pair):
    return f'{pair[0]}:{pair[1]}'


def original_dst(conn):
    raw = conn.getsockopt(socket.SOL_IP, SO_ORIGINAL_DST, 16)
    port, packed = struct.unpack_from('!2xH4s', raw)
    return socket.inet_ntoa(packed), port


def status(*keys):
    with open('/proc/self/status') as f:
        return {k: v.strip() for k, v in (line.split(':', 1) for line in f) if k in keys}


def serve(port, handle):
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind(('0.0.0.0', port))
    s.listen(64)
    log('listening', port=port)

    def loop():
        while True:
            conn, peer = s.accept()
            threading.Thread(target=handle, args=(conn, peer, port), daemon=True).start()

    threading.Thread(target=loop, daemon=True).start()


def pipe(src, dst):
    try:
        while True:
            data = src.recv(65536)
            if not data:
                break
            dst.sendall(data)
    except OSError:
        pass
    finally:
        try:
            dst.shutdown(socket.SHUT_WR)
        except OSError:
            pass


def proxy():
    caps = status('Uid', 'CapEff', 'CapPrm', 'NoNewPrivs')
    try:
        # What goproxy needs NET_RAW for: a raw socket.
        socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_ICMP).close()
        raw = 'ok'
    except OSError as e:
        raw = f'denied({e.errno})'
    log('proxy-start', uid=caps['Uid'].split()[0], capeff=caps['CapEff'], noNewPrivs=caps['NoNewPrivs'], raw=raw)
    ports = {'in': int(os.environ['PROXY_IN_PORT']), 'out': int(os.environ['PROXY_OUT_PORT'])}

    def handler(listener):
        def handle(conn, peer, port):
            try:
                dst = original_dst(conn)
            except OSError:
                dst = ('none', 0)
            log('conn', listener=listener, port=port, peer=addr(peer), orig=addr(dst))
            if dst[1] in (0, port):
                conn.close()  # reached directly: nothing to relay to
                return
            try:
                up = socket.create_connection(dst, timeout=5)
            except OSError as e:
                log('relay-failed', orig=addr(dst), error=e.errno)
                conn.close()
                return
            threading.Thread(target=pipe, args=(up, conn), daemon=True).start()
            pipe(conn, up)

        return handle

    for listener, port in ports.items():
        serve(port, handler(listener))


def call(ip, port, path='/'):
    with socket.create_connection((ip, int(port)), timeout=5) as s:
        s.sendall(f'GET {path} HTTP/1.0\r\n\r\n'.encode())
        chunks = []
        while True:
            data = s.recv(65536)
            if not data:
                break
            chunks.append(data)
    return b''.join(chunks).decode(errors='replace')


def app(ports):
    def handle(conn, peer, port):
        with conn:
            request = conn.recv(65536).decode(errors='replace').split('\r\n')[0].split(' ')
            path = request[1] if len(request) > 1 else '/'
            parts = path.strip('/').split('/')
            if parts[0] == 'call' and len(parts) == 3:
                try:
                    body = call(parts[1], parts[2])
                except OSError as e:
                    body = f'call failed: {e}'
            else:
                body = f'app port={port} peer={addr(peer)}\n'
            log('app-request', port=port, peer=addr(peer), path=path)
            conn.sendall(b'HTTP/1.0 200 OK\r\n\r\n' + body.encode())

    for port in ports:
        serve(int(port), handle)


def echo(ports):
    def handle(conn, peer, port):
        with conn:
            conn.recv(65536)
            log('echo', port=port, peer=addr(peer))
            conn.sendall(f'echo port={port} peer={addr(peer)}\n'.encode())

    for port in ports:
        serve(int(port), handle)


def main():
    mode, args = sys.argv[1], sys.argv[2:]
    if mode == 'call':
        sys.stdout.write(call(*args))
        return
    {'proxy': lambda: proxy(), 'app': lambda: app(args), 'echo': lambda: echo(args)}[mode]()
    threading.Event().wait()


main()
