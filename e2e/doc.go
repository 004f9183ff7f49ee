// Package e2e holds the end-to-end test of the meeting report in a real
// browser: `make e2e` installs Debian's chromium if it is missing and runs
// it (go test -tags e2e ./e2e/).
package e2e
