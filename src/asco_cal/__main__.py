from asco_cal.cli import main

main()
