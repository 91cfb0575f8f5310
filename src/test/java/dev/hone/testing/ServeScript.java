package dev.hone.testing;

/**
 * The {@code serve.py} of the serving tests: Python's http.server on $HONE_PORT answering the text of
 * {@code $HONE_MODEL/model.txt} on every path; {@code /crash} prints the API_TOKEN variable and its arguments, then
 * exits with 3; a {@code hang} file in the model makes {@code /health} hang; {@code crash-at-start} makes it exit 1
 * at start.
 */
public final class ServeScript {

    public static final String PY = """
            import http.server, os, sys, time
            model_dir = os.environ["HONE_MODEL"]
            if os.path.exists(os.path.join(model_dir, "crash-at-start")):
                print("refusing to start", flush=True)
                sys.exit(1)
            model = open(os.path.join(model_dir, "model.txt")).read().strip()
            class Handler(http.server.BaseHTTPRequestHandler):
                def do_GET(self):
                    if self.path == "/crash":
                        print("crashing on request, token %s, %s" % (os.environ.get("API_TOKEN", ""),
                                                                      " ".join(sys.argv[1:])), flush=True)
                        os._exit(3)
                    if self.path == "/health" and os.path.exists(os.path.join(model_dir, "hang")):
                        time.sleep(3600)
                    body = model.encode()
                    self.send_response(200)
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    self.wfile.write(body)
                def log_message(self, *args):
                    pass
            print("serving " + model, flush=True)
            http.server.ThreadingHTTPServer(("0.0.0.0", int(os.environ["HONE_PORT"])), Handler).serve_forever()
            """;

    private ServeScript() {}
}
