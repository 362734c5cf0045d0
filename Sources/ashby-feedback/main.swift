print("ashby-feedback")
