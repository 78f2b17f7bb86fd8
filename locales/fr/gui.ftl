# The touch screen (src/gui): buttons, titles, messages. Ids start with gui-.
