// Preloaded (NODE_OPTIONS=--require …) into a process the benchmark wants a V8 CPU profile of:
// Node refuses --cpu-prof in NODE_OPTIONS, and forked children (the embedded database) inherit
// NODE_OPTIONS but not execArgv. Writes <BENCH_CPU_PROFILE_DIR>/<pid>.cpuprofile at exit.
'use strict';
const { isMainThread } = require('node:worker_threads');
const dir = process.env.BENCH_CPU_PROFILE_DIR;
if (dir && isMainThread) {
  const fs = require('node:fs');
  const path = require('node:path');
  const inspector = require('node:inspector');
  const session = new inspector.Session();
  session.connect();
  session.post('Profiler.enable');
  session.post('Profiler.setSamplingInterval', { interval: 1000 });
  session.post('Profiler.start');
  let written = false;
  const write = () => {
    if (written) return;
    written = true;
    // An in-process inspector session answers synchronously, so this works inside 'exit'.
    session.post('Profiler.stop', (err, res) => {
      if (err) return;
      fs.mkdirSync(dir, { recursive: true });
      fs.writeFileSync(path.join(dir, `${process.pid}.cpuprofile`), JSON.stringify(res.profile));
    });
  };
  process.on('exit', write);
  for (const signal of ['SIGTERM', 'SIGINT']) {
    process.on(signal, () => {
      write();
      // A listener replaces the default action: exit as the signal would have, unless the process handles it itself.
      if (process.listenerCount(signal) === 1) process.exit(128 + (signal === 'SIGTERM' ? 15 : 2));
    });
  }
}
