// Package journeys holds no code of its own: its tests play the people who
// use the examples. They build every example, run each as its own process
// on 127.0.0.1 (development mode, embedded data), and drive real Chromium
// through what a person does — sign in as each demo role, at desk (1440 px)
// and phone (390 px) width; click every element of every chart; wait two
// refresh intervals and more; open a shared filtered link and bad URLs;
// sign out in another tab; let a short session expire; restart the server
// under an open page — failing on any panel in error, console error,
// exception, request that leaves the machine, or raw JSON shown as a page.
//
// They need DASHKIT_BROWSER (the path to Chromium) and the ECharts assets
// (`make assets`); without them they skip and say why.
//
//	DASHKIT_BROWSER=/usr/bin/chromium go test ./examples/journeys
package journeys
