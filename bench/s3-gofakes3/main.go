// A local S3-compatible server for bench/pull.mjs: gofakes3 with its in-memory backend, whose ranged
// GETs slice the stored bytes (cost O(range), unlike moto, which reads the whole object per range).
// It listens on a loopback port (-addr, default a free one) and prints "listening http://HOST:PORT"
// on stdout once it accepts connections; it runs until killed.
package main

import (
	"flag"
	"fmt"
	"log"
	"net"
	"net/http"
	"os"
	"strings"

	"github.com/johannesboyne/gofakes3"
	"github.com/johannesboyne/gofakes3/backend/s3mem"
)

func main() {
	addr := flag.String("addr", "127.0.0.1:0", "address to listen on (port 0: a free one)")
	flag.Parse()

	listener, err := net.Listen("tcp", *addr)
	if err != nil {
		log.Fatalf("listen %s: %v", *addr, err)
	}
	// No request log: the bench measures throughput, and logging every GET would cost more than serving it.
	faker := gofakes3.New(s3mem.New(), gofakes3.WithLogger(gofakes3.DiscardLog()))
	fmt.Fprintf(os.Stdout, "listening http://%s\n", listener.Addr().String())
	log.Fatal(http.Serve(listener, withoutRangeChecksums(faker.Server())))
}

// gofakes3 stores the x-amz-checksum-* headers of a PutObject as metadata and sends them back with every
// GET, ranged ones too, where the AWS SDK then checks the whole object's checksum against the part and
// fails. AWS S3 sends no full-object checksum with a partial response; this drops them, as it does.
func withoutRangeChecksums(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Range") != "" {
			w = &checksumStripper{ResponseWriter: w}
		}
		next.ServeHTTP(w, r)
	})
}

// A ResponseWriter that removes the x-amz-checksum-* headers just before the status line goes out.
type checksumStripper struct {
	http.ResponseWriter
	sent bool
}

func (s *checksumStripper) strip() {
	if s.sent {
		return
	}
	s.sent = true
	header := s.Header()
	for name := range header {
		if strings.HasPrefix(strings.ToLower(name), "x-amz-checksum-") {
			header.Del(name)
		}
	}
}

func (s *checksumStripper) WriteHeader(code int) {
	s.strip()
	s.ResponseWriter.WriteHeader(code)
}

func (s *checksumStripper) Write(b []byte) (int, error) {
	s.strip()
	return s.ResponseWriter.Write(b)
}
