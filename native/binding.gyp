{
  "targets": [
    {
      "target_name": "ipc_shim",
      "sources": [
        "src/addon.cc",
        "src/segment.cc",
        "src/v8_bridge.cc",
        "src/segment_folder.cc",
        "src/waiters.cc",
        "src/threads.cc",
        "src/futex.cc",
        "src/futex_async.cc",
        "src/os_doors.cc",
        "src/mqueue.cc",
        "src/affinity.cc"
      ],
      "dependencies": ["<!(node -p \"require('node-addon-api').targets\"):node_addon_api_except"],
      "defines": ["NODE_API_SWALLOW_UNTHROWABLE_EXCEPTIONS"],
      "cflags_cc": ["-O2", "-std=c++20", "-Wall", "-Wextra", "-Wno-unused-parameter"],
      "libraries": ["-lrt", "-ldl"]
    }
  ]
}
