// The Go gorilla/websocket echo server of the benchmark, built offline by bench/run.sh against Debian's
// golang-github-gorilla-websocket-dev (GO111MODULE=off, GOPATH=/usr/share/gocode). It echoes every message
// with its type, the way gorilla's own echo example does (ReadMessage, then WriteMessage), no compression,
// a 64 MiB message limit like wsdoctor serve. It prints `listening ws://127.0.0.1:PORT/` once it accepts.
//
// It also counts the messages it echoed: a plain GET /messages (no upgrade) answers the count. The generator
// comparison reads it at both edges of its measured window, so every generator is measured by the same
// server-side count, whatever the generator itself reports.
//
// Usage: gorilla-echo [port]
package main

import (
	"fmt"
	"net"
	"net/http"
	"os"
	"os/signal"
	"strconv"
	"sync/atomic"
	"syscall"

	"github.com/gorilla/websocket"
)

var echoed atomic.Int64

var upgrader = websocket.Upgrader{
	ReadBufferSize:  4096,
	WriteBufferSize: 4096,
	// Load generators send whatever Origin they like; this is an echo server for loopback benchmarks.
	CheckOrigin: func(*http.Request) bool { return true },
}

func echo(w http.ResponseWriter, r *http.Request) {
	if r.URL.Path == "/messages" && !websocket.IsWebSocketUpgrade(r) {
		fmt.Fprintf(w, "%d\n", echoed.Load())
		return
	}
	conn, err := upgrader.Upgrade(w, r, nil)
	if err != nil {
		return
	}
	defer conn.Close()
	conn.SetReadLimit(64 << 20)
	for {
		kind, message, err := conn.ReadMessage()
		if err != nil {
			return
		}
		if err := conn.WriteMessage(kind, message); err != nil {
			return
		}
		echoed.Add(1)
	}
}

func main() {
	port := 0
	if len(os.Args) > 1 {
		p, err := strconv.Atoi(os.Args[1])
		if err != nil {
			fmt.Fprintf(os.Stderr, "gorilla-echo: %q is not a port\n", os.Args[1])
			os.Exit(2)
		}
		port = p
	}
	listener, err := net.Listen("tcp", fmt.Sprintf("127.0.0.1:%d", port))
	if err != nil {
		fmt.Fprintf(os.Stderr, "gorilla-echo: %v\n", err)
		os.Exit(1)
	}

	signals := make(chan os.Signal, 1)
	signal.Notify(signals, syscall.SIGTERM)
	go func() {
		<-signals
		os.Exit(0)
	}()

	fmt.Printf("listening ws://%s/\n", listener.Addr())
	if err := http.Serve(listener, http.HandlerFunc(echo)); err != nil {
		fmt.Fprintf(os.Stderr, "gorilla-echo: %v\n", err)
		os.Exit(1)
	}
}
