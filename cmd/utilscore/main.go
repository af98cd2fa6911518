// Command utilscore turns utilities' case logs into the figures their regulators
// check and the public sees. Run "utilscore help" for the commands.
package main

import "os"

func main() { os.Exit(run(os.Args[1:], os.Stdout, os.Stderr)) }
