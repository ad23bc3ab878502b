print("assure")
