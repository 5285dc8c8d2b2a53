// Package browsertest drives a real headless Chromium from tests through
// chromedp.
//
// [New] starts one browser per test with the flags this machine needs and a
// fresh profile, or skips the test when DASHKIT_BROWSER is unset. Every page
// it opens is watched: a console error, an uncaught JavaScript exception, a
// failed request, an HTTP error status, a Content-Security-Policy violation or
// any request to a host outside the loopback network fails the test when it
// ends, with the list of what went wrong.
//
//	b := browsertest.New(t)
//	p := b.Open(t, srv.URL+"/ops/")
//	p.WaitFor(`document.querySelectorAll("canvas").length > 0`)
//	p.Screenshot("testdata/page.png")
package browsertest
