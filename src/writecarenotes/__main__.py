from writecarenotes.cli import main

raise SystemExit(main())
