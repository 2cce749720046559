/* The physical-limit reference of the benchmark: a plain TCP echo server on one epoll loop, one thread,
 * no framing at all. Whatever arrives is written back as is. The bench drives it with a raw TCP closed loop
 * that sends the same payload bytes as the WebSocket runs and waits for exactly that many bytes back, so
 * its row is the cost of the kernel's loopback TCP path alone, and the WebSocket rows above it show what
 * framing, masking and each server's runtime add.
 *
 * Compiled by bench/run.sh: gcc -O2 -o tcp-echo tcp-echo.c
 * Prints `listening tcp://127.0.0.1:PORT/` once it accepts; SIGTERM ends it.
 * Usage: tcp-echo [port]
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#define BUFFER 65536
#define EVENTS 256

/* Bytes read but not yet written back, kept only while the peer's receive window is full. */
struct pending {
    int fd;
    size_t length;
    size_t offset;
    char *data;
};

static void drop(int epoll, struct pending *p) {
    epoll_ctl(epoll, EPOLL_CTL_DEL, p->fd, NULL);
    close(p->fd);
    free(p->data);
    free(p);
}

/* Writes what is pending; 1 when all of it went out, 0 when the socket is full, -1 on error. */
static int flush_pending(struct pending *p) {
    while (p->offset < p->length) {
        ssize_t n = send(p->fd, p->data + p->offset, p->length - p->offset, MSG_NOSIGNAL);
        if (n < 0) {
            return errno == EAGAIN || errno == EWOULDBLOCK ? 0 : -1;
        }
        p->offset += (size_t)n;
    }
    p->offset = p->length = 0;
    return 1;
}

int main(int argc, char **argv) {
    int port = argc > 1 ? atoi(argv[1]) : 0;
    if (port < 0 || port > 65535) {
        fprintf(stderr, "tcp-echo: %s is not a port\n", argv[1]);
        return 2;
    }

    int listener = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
    int one = 1;
    setsockopt(listener, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    struct sockaddr_in address = {.sin_family = AF_INET, .sin_port = htons((unsigned short)port)};
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (bind(listener, (struct sockaddr *)&address, sizeof address) < 0 || listen(listener, 4096) < 0) {
        perror("tcp-echo: bind/listen");
        return 1;
    }
    socklen_t length = sizeof address;
    getsockname(listener, (struct sockaddr *)&address, &length);

    int epoll = epoll_create1(0);
    struct epoll_event event = {.events = EPOLLIN, .data.ptr = NULL};
    epoll_ctl(epoll, EPOLL_CTL_ADD, listener, &event);
    printf("listening tcp://127.0.0.1:%d/\n", ntohs(address.sin_port));
    fflush(stdout);

    static char buffer[BUFFER];
    struct epoll_event events[EVENTS];
    for (;;) {
        int ready = epoll_wait(epoll, events, EVENTS, -1);
        if (ready < 0) {
            if (errno == EINTR) {
                continue;
            }
            perror("tcp-echo: epoll_wait");
            return 1;
        }
        for (int i = 0; i < ready; i++) {
            struct pending *p = events[i].data.ptr;
            if (p == NULL) {
                /* New connections: accept all that wait. */
                int fd;
                while ((fd = accept4(listener, NULL, NULL, SOCK_NONBLOCK)) >= 0) {
                    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
                    struct pending *c = calloc(1, sizeof *c);
                    if (c == NULL) {
                        close(fd);
                        continue;
                    }
                    c->fd = fd;
                    struct epoll_event e = {.events = EPOLLIN, .data.ptr = c};
                    epoll_ctl(epoll, EPOLL_CTL_ADD, fd, &e);
                }
                continue;
            }

            if (p->length > 0) {
                /* Writable again: finish the pending bytes before reading more. */
                int flushed = flush_pending(p);
                if (flushed < 0) {
                    drop(epoll, p);
                } else if (flushed > 0) {
                    struct epoll_event e = {.events = EPOLLIN, .data.ptr = p};
                    epoll_ctl(epoll, EPOLL_CTL_MOD, p->fd, &e);
                }
                continue;
            }

            ssize_t n = recv(p->fd, buffer, sizeof buffer, 0);
            if (n == 0 || (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK)) {
                drop(epoll, p);
                continue;
            }
            if (n < 0) {
                continue;
            }
            ssize_t sent = send(p->fd, buffer, (size_t)n, MSG_NOSIGNAL);
            if (sent < 0 && errno != EAGAIN && errno != EWOULDBLOCK) {
                drop(epoll, p);
                continue;
            }
            if (sent < 0) {
                sent = 0;
            }
            if (sent < n) {
                /* The peer is not reading: keep the rest and wait until the socket is writable. */
                char *rest = realloc(p->data, (size_t)(n - sent));
                if (rest == NULL) {
                    drop(epoll, p);
                    continue;
                }
                memcpy(rest, buffer + sent, (size_t)(n - sent));
                p->data = rest;
                p->length = (size_t)(n - sent);
                p->offset = 0;
                struct epoll_event e = {.events = EPOLLOUT, .data.ptr = p};
                epoll_ctl(epoll, EPOLL_CTL_MOD, p->fd, &e);
            }
        }
    }
}
