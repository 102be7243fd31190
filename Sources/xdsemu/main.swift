print("xdsemu")
